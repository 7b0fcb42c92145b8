import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The digest a workspace should run because of an active rollout: its ring's target once its
 * ring has started (or the old digest again while rolling back), null when no active rollout
 * holds it or its ring has not started (then the pin is its target, as always).
 */
export async function activeRingTargetOf(tx: Prisma.TransactionClient, workspaceId: string): Promise<string | null> {
  // Raw: the member's target and its rollout's status in one join on the workspace index, LIMIT 1.
  const [row] = await tx.$queryRaw<{ target_digest: string }[]>`
    SELECT m.target_digest
    FROM rollout_workspaces m JOIN rollouts r ON r.id = m.rollout_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND r.status IN ('running', 'paused') AND m.target_digest IS NOT NULL
    LIMIT 1`;
  return row?.target_digest ?? null;
}
