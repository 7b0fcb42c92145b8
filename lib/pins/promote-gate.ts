import "server-only";

import type { Env } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit-log";
import { readPromoteGate } from "@/lib/db/ledger/promote-gate";
import { DigestCoolDownError, DigestQuarantinedError } from "@/lib/domain/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { coolDownDecision, formatDuration } from "@/lib/ledger/cool-down";
import { minDigestAgeSeconds } from "@/lib/ledger/watch-config";

/** A promote's gate input: the digest, and the operator's reason to skip the cool-down (null = none). */
export type PromoteGateInput = { templateName: string; digest: string; coolDownOverrideReason: string | null };

/**
 * Runs inside the promote's transaction, before the pin is written: a quarantined digest is refused
 * (DigestQuarantinedError, 409), a digest younger than the cool-down is refused unless the operator
 * gave an override reason, which is then audited in the same transaction.
 */
export async function enforcePromoteGate(
  tx: Prisma.TransactionClient,
  input: PromoteGateInput,
  actor: string,
  env: Env | undefined,
): Promise<void> {
  const { templateName, digest } = input;
  const facts = await readPromoteGate(tx, templateName, digest);
  if (facts.quarantine) {
    const { at, by, reason } = facts.quarantine;
    throw new DigestQuarantinedError(
      `${digest} is quarantined: ${by || "someone"} rolled back from it at ${at.toISOString()} ("${reason}"). Lift the quarantine, with a reason, before promoting it again.`,
      facts.quarantine,
    );
  }
  const minAge = minDigestAgeSeconds(env, facts.minAgeOverride);
  const age = facts.ageSeconds ?? 0;
  const decision = coolDownDecision(age, minAge, input.coolDownOverrideReason);
  if (decision === "refuse") {
    throw new DigestCoolDownError(
      `${digest} was first seen ${formatDuration(age)} ago; ${templateName} promotes digests known for at least ${formatDuration(minAge)}. Wait ${formatDuration(minAge - age)} more, or override the cool-down with a reason.`,
      Math.floor(age),
      minAge,
    );
  }
  if (decision === "override") {
    await recordAudit(tx, {
      actor,
      action: "digest.cool_down_override",
      targetType: "digest",
      targetId: digest,
      templateName,
      reason: input.coolDownOverrideReason,
      before: { ageSeconds: Math.floor(age), minAgeSeconds: minAge },
    });
  }
}
