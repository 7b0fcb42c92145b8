import "server-only";

import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { isKnownRuntime } from "@/lib/domain/runtimes";
import type { Prisma } from "@/lib/generated/prisma/client";

// Row locks on a template's pin and the expected-digest check every pin change starts with.

type Tx = Prisma.TransactionClient;
export type LockedPin = { digest: string; updated_at: Date; updated_by: string | null };

/** The locked pin of a known or pinned template, whatever its digest (a promote without expectation). */
export async function lockKnownPin(tx: Tx, templateName: string): Promise<LockedPin | null> {
  const current = await lockPin(tx, templateName);
  requireTemplate(templateName, current);
  return current;
}

// Row lock held to the end of the transaction: a second form for the same
// template waits here, then reads the committed pin and fails the expected check.
export async function lockPin(tx: Tx, templateName: string): Promise<LockedPin | null> {
  // Raw: FOR UPDATE, which the model API cannot say.
  const rows = await tx.$queryRaw<LockedPin[]>`
    SELECT digest, updated_at, updated_by FROM runtime_image_pins WHERE template_name = ${templateName} FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * The locked pin of a template that exists and is still pinned to `expected`
 * (null = "I saw it unpinned"); otherwise NotFoundError or ConflictError.
 * A non-null expectation that holds means a pin is there, hence the narrower overload.
 */
export async function lockExpectedPin(tx: Tx, templateName: string, expected: string): Promise<LockedPin>;
export async function lockExpectedPin(tx: Tx, templateName: string, expected: string | null): Promise<LockedPin | null>;
export async function lockExpectedPin(
  tx: Tx,
  templateName: string,
  expected: string | null,
): Promise<LockedPin | null> {
  const current = await lockPin(tx, templateName);
  requireTemplate(templateName, current);
  await requireExpected(tx, templateName, current, expected);
  return current;
}

export function requireTemplate(templateName: string, current: LockedPin | null): void {
  if (current === null && !isKnownRuntime(templateName)) {
    throw new NotFoundError(`Unknown template "${templateName}": it is neither a known runtime nor pinned.`);
  }
}

export async function requireExpected(
  tx: Tx,
  templateName: string,
  current: LockedPin | null,
  expected: string | null,
): Promise<void> {
  if ((current?.digest ?? null) !== expected) throw await conflict(tx, templateName, expected);
}

/** A ConflictError that says what the pin is now, who set it and when. */
export async function conflict(tx: Tx, templateName: string, expected: string | null): Promise<ConflictError> {
  // Raw: the same columns as lockPin, read without the lock, so both map the same way.
  const rows = await tx.$queryRaw<LockedPin[]>`
    SELECT digest, updated_at, updated_by FROM runtime_image_pins WHERE template_name = ${templateName}`;
  const now = rows[0];
  const saw = expected === null ? "unpinned" : `pinned to ${expected}`;
  const tail = "Nothing was changed; reload to see the current pin and decide again.";
  if (now) {
    return new ConflictError(
      `The pin of ${templateName} changed while you were looking (you saw it ${saw}): it is now ${now.digest}, set by ${now.updated_by ?? "an unknown actor"} at ${now.updated_at.toISOString()}. ${tail}`,
    );
  }
  const last = await tx.runtimeImagePinHistory.findFirst({
    where: { templateName, action: "unpin" },
    orderBy: { id: "desc" },
  });
  const by = last ? `, unpinned by ${last.actor} at ${last.createdAt.toISOString()}` : "";
  return new ConflictError(
    `The pin of ${templateName} changed while you were looking (you saw it ${saw}): it is now unpinned${by}. ${tail}`,
  );
}
