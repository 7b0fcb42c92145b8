import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import { ringColumns } from "@/lib/db/rings";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { ConflictError } from "@/lib/domain/errors";
import type { RingConfig } from "@/lib/domain/rings";
import { Prisma } from "@/lib/generated/prisma/client";

import { activeRolloutMessage } from "./guard";

type Tx = Prisma.TransactionClient;

export type NewRollout = {
  templateName: string;
  fromDigest: string | null;
  toDigest: string;
  gitSha: string | null;
  reason: string;
};

/**
 * Starts a rollout inside the promote's transaction (the pin row is locked, so two promotes of
 * one template cannot both get here; the partial unique index is the backstop). The rings are
 * copied, so editing them later never changes a rollout under way. Nothing moves yet: the engine
 * (lib/rollouts) starts the first ring on its next tick.
 */
export async function createRolloutTx(tx: Tx, input: NewRollout, rings: RingConfig[], actor: string): Promise<string> {
  const busy = await activeRolloutMessage(tx, input.templateName);
  if (busy) throw new ConflictError(`${busy}: abort it or wait before promoting.`);
  const rollout = await tx.rollout.create({
    data: {
      templateName: input.templateName,
      fromDigest: input.fromDigest,
      toDigest: input.toDigest,
      gitSha: input.gitSha,
      actor,
      reason: input.reason,
      rings: {
        create: rings.map(ringColumns),
      },
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "rollout.started",
    targetType: "rollout",
    targetId: rollout.id,
    templateName: input.templateName,
    reason: input.reason,
    before: { digest: input.fromDigest },
    after: { digest: input.toDigest, rings: rings.map((ring) => ring.name) },
  });
  await recordEvent(tx, "rollout.started", {
    template: input.templateName,
    rollout_id: rollout.id,
    from_digest: input.fromDigest,
    to_digest: input.toDigest,
    rings: rings.map((ring) => ring.name),
    actor,
    reason: input.reason,
  });
  return rollout.id;
}
