import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/domain/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

import { recordSightingTx } from "./record-digest";

type Tx = Prisma.TransactionClient;

/** A digest's quarantine in force, read under a row lock. */
export type ActiveQuarantine = { at: Date; by: string; reason: string };

/**
 * Quarantines a digest inside the caller's transaction (a rollback's, with its reason): it cannot be
 * promoted again until lifted. A quarantine already in force is replaced by this newer one.
 */
export async function quarantineDigestTx(
  tx: Tx,
  input: { templateName: string; digest: string; reason: string },
  actor: string,
): Promise<void> {
  const { templateName, digest, reason } = input;
  await recordSightingTx(tx, { templateName, digest, via: "promote" });
  await tx.templateDigest.update({
    where: { templateName_digest: { templateName, digest } },
    data: {
      quarantinedAt: new Date(),
      quarantinedBy: actor,
      quarantineReason: reason,
      quarantineLiftedAt: null,
      quarantineLiftedBy: null,
      quarantineLiftReason: null,
    },
  });
  await recordAudit(tx, {
    actor,
    action: "digest.quarantine",
    targetType: "digest",
    targetId: digest,
    templateName,
    reason,
    after: { quarantined: true },
  });
}

/** The quarantine in force on a digest, locking its ledger row to the end of the transaction (null = none). */
export async function lockActiveQuarantine(
  tx: Tx,
  templateName: string,
  digest: string,
): Promise<ActiveQuarantine | null> {
  // FOR UPDATE: a concurrent rollback quarantining this digest waits for us (or we for it), never interleaves.
  const rows = await tx.$queryRaw<
    {
      quarantined_at: Date | null;
      quarantined_by: string | null;
      quarantine_reason: string | null;
      quarantine_lifted_at: Date | null;
    }[]
  >`
    SELECT quarantined_at, quarantined_by, quarantine_reason, quarantine_lifted_at FROM template_digests
    WHERE template_name = ${templateName} AND digest = ${digest} FOR UPDATE`;
  const row = rows[0];
  if (!row?.quarantined_at || row.quarantine_lifted_at) return null;
  return { at: row.quarantined_at, by: row.quarantined_by ?? "", reason: row.quarantine_reason ?? "" };
}

/** Lifts a digest's quarantine with a reason, audited in the same transaction; NotFoundError when none is in force. */
export async function liftQuarantine(
  db: Db,
  input: { templateName: string; digest: string; reason: string },
  actor: string,
): Promise<{ templateName: string; digest: string; quarantine: ActiveQuarantine }> {
  const { templateName, digest, reason } = input;
  return db.$transaction(async (tx) => {
    const active = await lockActiveQuarantine(tx, templateName, digest);
    if (active === null) throw new NotFoundError(`${digest} of ${templateName} is not quarantined; nothing to lift.`);
    await tx.templateDigest.update({
      where: { templateName_digest: { templateName, digest } },
      data: { quarantineLiftedAt: new Date(), quarantineLiftedBy: actor, quarantineLiftReason: reason },
    });
    await recordAudit(tx, {
      actor,
      action: "digest.quarantine_lift",
      targetType: "digest",
      targetId: digest,
      templateName,
      reason,
      before: {
        quarantined: true,
        quarantinedAt: active.at.toISOString(),
        quarantinedBy: active.by,
        quarantineReason: active.reason,
      },
      after: { quarantined: false },
    });
    return { templateName, digest, quarantine: active };
  });
}

/** Digests under a quarantine in force, per template (for marking them wherever digests show). */
export async function quarantinedDigests(db: Db, templateName?: string): Promise<Map<string, Set<string>>> {
  const rows = await db.templateDigest.findMany({
    where: { quarantinedAt: { not: null }, quarantineLiftedAt: null, ...(templateName ? { templateName } : {}) },
    select: { templateName: true, digest: true },
  });
  const byTemplate = new Map<string, Set<string>>();
  for (const row of rows)
    byTemplate.set(row.templateName, (byTemplate.get(row.templateName) ?? new Set()).add(row.digest));
  return byTemplate;
}
