import "server-only";

import { quarantineDigestTx } from "@/lib/db/ledger/quarantine";
import { recordSightingTx } from "@/lib/db/ledger/record-digest";
import { createRolloutTx } from "@/lib/db/rollouts/create";
import { refuseDuringRollout } from "@/lib/db/rollouts/guard";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { ValidationError } from "@/lib/domain/errors";
import { isValidDigest } from "@/lib/domain/image-ref";
import { normalizeReason } from "@/lib/domain/reason";
import { rollbackTargetFromHistory } from "@/lib/domain/rollback-target";
import { pinChangeEvent } from "@/lib/domain/webhook-events";
import type { PinAction, Prisma } from "@/lib/generated/prisma/client";

import { recordAudit } from "./audit-log";
import type { Db } from "./client";
import { conflict, lockExpectedPin, lockKnownPin, lockPin } from "./pin-locks";
import { historiesOf } from "./pin-overview";
import { loadRings, ringsApplyTo } from "./rings";

export type PinChange = {
  templateName: string;
  action: PinAction;
  fromDigest: string | null;
  toDigest: string | null;
  gitSha?: string | null;
  /** Set when rings are configured: the promote started this rollout instead of moving the pin (issue 18). */
  rolloutId?: string;
};

/**
 * `expectedDigest`: the pin the caller saw (null = unpinned); undefined = no expectation, any
 * current pin is replaced (the API's promote without expected_digest).
 */
export type PromotePinInput = {
  templateName: string;
  digest: string;
  expectedDigest: string | null | undefined;
  reason: string;
  gitSha?: string | null;
};
export type RollbackPinInput = { templateName: string; expectedDigest: string; reason: string };
export type UnpinInput = { templateName: string; expectedDigest: string; reason: string };

type Tx = Prisma.TransactionClient;

/**
 * Pins `templateName` to `digest`, provided the pin is still `expectedDigest`
 * (null = "I saw it unpinned"); otherwise ConflictError and nothing changes.
 * The registry check lives in lib/pins/promote.ts; this only trusts the format.
 */
export async function promotePin(
  db: Db,
  input: PromotePinInput,
  actor: string,
  options: PromotePinOptions = {},
): Promise<PinChange> {
  const reason = normalizeReason(input.reason) as string;
  requireDigest(input.digest, "digest");
  if (input.expectedDigest) requireDigest(input.expectedDigest, "expectedDigest");
  const gitSha = input.gitSha ?? null;

  return db.$transaction(async (tx) => {
    const current =
      input.expectedDigest === undefined
        ? await lockKnownPin(tx, input.templateName)
        : await lockExpectedPin(tx, input.templateName, input.expectedDigest);
    if (current?.digest === input.digest) {
      throw new ValidationError(`${input.templateName} is already pinned to ${input.digest}.`, {
        digest: ["This digest is already pinned."],
      });
    }
    await refuseDuringRollout(tx, input.templateName, "promoting");
    await options.beforeWrite?.(tx);
    await recordSightingTx(tx, { templateName: input.templateName, digest: input.digest, via: "promote" });
    // With rings, a pinned template moves ring by ring: the pin stays until the last ring starts.
    // An unpinned one has no old digest to fall back to, so its first pin is set at once as before.
    const rings = current ? await loadRings(tx) : null;
    if (current && rings && ringsApplyTo(rings, input.templateName)) {
      const rollout = { templateName: input.templateName, fromDigest: current.digest, toDigest: input.digest };
      const rolloutId = await createRolloutTx(tx, { ...rollout, gitSha, reason }, rings.rings, actor);
      return { ...rollout, action: "promote" as const, ...(gitSha ? { gitSha } : {}), rolloutId };
    }
    if (current) {
      await setPin(tx, input.templateName, input.digest, actor, reason, gitSha);
    } else {
      // Raw: ON CONFLICT DO NOTHING … RETURNING tells a concurrent insert apart without an exception that would abort the transaction.
      const inserted = await tx.$queryRaw<unknown[]>`
        INSERT INTO runtime_image_pins (template_name, digest, updated_at, updated_by, notes, git_sha)
        VALUES (${input.templateName}, ${input.digest}, now(), ${actor}, ${reason}, ${gitSha})
        ON CONFLICT (template_name) DO NOTHING
        RETURNING template_name`;
      // Another form pinned the template between our read and our insert (no row to lock then).
      if (inserted.length === 0) throw await conflict(tx, input.templateName, input.expectedDigest ?? null);
    }
    const change = {
      templateName: input.templateName,
      action: "promote" as const,
      fromDigest: current?.digest ?? null,
      toDigest: input.digest,
      ...(gitSha ? { gitSha } : {}),
    };
    return record(tx, change, actor, reason);
  });
}

/** `beforeWrite` runs in the promote's transaction after the pin is locked (the digest ledger's gate: quarantine, cool-down). */
export type PromotePinOptions = { beforeWrite?: (tx: Tx) => Promise<void> };

/** Puts back the digest the current one replaced (see rollbackTargetFromHistory), if the pin is still `expectedDigest`. */
export async function rollbackPin(db: Db, input: RollbackPinInput, actor: string): Promise<PinChange> {
  const reason = normalizeReason(input.reason) as string;
  requireDigest(input.expectedDigest, "expectedDigest");

  return db.$transaction(async (tx) => {
    const pinned = await lockExpectedPin(tx, input.templateName, input.expectedDigest);
    await refuseDuringRollout(tx, input.templateName, "rolling back");
    const history = (await historiesOf(tx, [input.templateName])).get(input.templateName) ?? [];
    const target = rollbackTargetFromHistory(history, pinned.digest);
    if (target === null) {
      throw new ValidationError(
        `${input.templateName} has no earlier pinned digest to roll back to; promote a digest or unpin instead.`,
      );
    }
    const gitSha = await gitShaOf(tx, input.templateName, target);
    await setPin(tx, input.templateName, target, actor, reason, gitSha);
    await recordSightingTx(tx, { templateName: input.templateName, digest: target, via: "promote" });
    // Rolled back from = known bad: it cannot be promoted again until someone lifts this, with a reason.
    await quarantineDigestTx(tx, { templateName: input.templateName, digest: pinned.digest, reason }, actor);
    return record(
      tx,
      {
        templateName: input.templateName,
        action: "rollback",
        fromDigest: pinned.digest,
        toDigest: target,
        ...(gitSha ? { gitSha } : {}),
      },
      actor,
      reason,
    );
  });
}

/** Removes the pin (the template follows :latest again), if it is still `expectedDigest`. */
export async function unpinTemplate(db: Db, input: UnpinInput, actor: string): Promise<PinChange> {
  const reason = normalizeReason(input.reason) as string;
  requireDigest(input.expectedDigest, "expectedDigest");

  return db.$transaction(async (tx) => {
    const pinned = await lockExpectedPin(tx, input.templateName, input.expectedDigest);
    await refuseDuringRollout(tx, input.templateName, "unpinning");
    await tx.runtimeImagePin.deleteMany({ where: { templateName: input.templateName } });
    return record(
      tx,
      { templateName: input.templateName, action: "unpin", fromDigest: pinned.digest, toDigest: null },
      actor,
      reason,
    );
  });
}

/**
 * A rollout's pin move (issue 18): the last ring's start moves the pin to the new digest, a
 * rollback after that moves it back; each is a normal pin change (history, audit, webhook) in
 * the caller's transaction. Nothing happens when the pin is no longer `fromDigest` (someone
 * else changed it; the rollout then leaves it alone).
 */
export async function moveRolloutPinTx(
  tx: Tx,
  input: { templateName: string; fromDigest: string; toDigest: string; reason: string; gitSha: string | null },
  action: "promote" | "rollback",
  actor: string,
): Promise<PinChange | null> {
  const pinned = await lockPin(tx, input.templateName);
  if (pinned?.digest !== input.fromDigest) return null;
  const gitSha = action === "rollback" ? await gitShaOf(tx, input.templateName, input.toDigest) : input.gitSha;
  await setPin(tx, input.templateName, input.toDigest, actor, input.reason, gitSha);
  const change = { templateName: input.templateName, action, fromDigest: input.fromDigest, toDigest: input.toDigest };
  return record(tx, { ...change, ...(gitSha ? { gitSha } : {}) }, actor, input.reason);
}

/** Moves an existing (locked) pin to `digest`, noting who did it, why, and the digest's git commit (null: not known). */
async function setPin(
  tx: Tx,
  templateName: string,
  digest: string,
  actor: string,
  reason: string,
  gitSha: string | null,
): Promise<void> {
  // Raw: now() on the database clock, the one pin history and the cool-down compare against.
  await tx.$executeRaw`
    UPDATE runtime_image_pins SET digest = ${digest}, updated_at = now(), updated_by = ${actor}, notes = ${reason}, git_sha = ${gitSha}
    WHERE template_name = ${templateName}`;
}

/** The git commit last recorded for `digest` of a template (a rollback puts it back with its digest), or null. */
async function gitShaOf(tx: Tx, templateName: string, digest: string): Promise<string | null> {
  const step = await tx.runtimeImagePinHistory.findFirst({
    where: { templateName, toDigest: digest, gitSha: { not: null } },
    orderBy: { id: "desc" },
    select: { gitSha: true },
  });
  return step?.gitSha ?? null;
}

async function record(tx: Tx, change: PinChange, actor: string, reason: string): Promise<PinChange> {
  await tx.runtimeImagePinHistory.create({
    data: {
      templateName: change.templateName,
      action: change.action,
      fromDigest: change.fromDigest,
      toDigest: change.toDigest,
      actor,
      reason,
      gitSha: change.gitSha ?? null,
    },
  });
  await recordAudit(tx, {
    actor,
    action: `pin.${change.action}`,
    targetType: "pin",
    targetId: change.templateName,
    templateName: change.templateName,
    reason,
    before: { digest: change.fromDigest },
    after: change.gitSha ? { digest: change.toDigest, gitSha: change.gitSha } : { digest: change.toDigest },
  });
  await recordEvent(tx, pinChangeEvent(change.action), {
    template: change.templateName,
    from_digest: change.fromDigest,
    to_digest: change.toDigest,
    actor,
    reason,
  });
  return change;
}

function requireDigest(value: unknown, field: string): void {
  if (!isValidDigest(value)) {
    const message = `${JSON.stringify(value)} is not an image digest: expected "sha256:" followed by 64 lowercase hex characters.`;
    throw new ValidationError(message, { [field]: [message] });
  }
}
