import "server-only";

import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

import type { RolloutState } from "./state";

// The rollout engine's reads and writes of ring membership (rollout_workspaces joined to workspaces).

type Tx = Prisma.TransactionClient;

/** The live members of ring `position`, oldest workspace first: what the ring's reprovision takes. */
export async function ringMemberIds(tx: Tx, rolloutId: string, position: number): Promise<string[]> {
  // Raw: the join to workspaces filters removed ones and orders by their creation in one statement, ids as text.
  const members = await tx.$queryRaw<{ id: string }[]>`
    SELECT m.workspace_id::text AS id FROM rollout_workspaces m JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.rollout_id = ${rolloutId}::uuid AND m.ring_position = ${position} AND w.status <> 'removed'
    ORDER BY w.created_at, w.id`;
  return members.map((member) => member.id);
}

/** Puts every live workspace of the template not yet a member into ring `position` (the last ring holds the rest). */
export async function addNewcomersTx(tx: Tx, state: RolloutState, position: number): Promise<void> {
  // Raw: INSERT … SELECT … ON CONFLICT DO NOTHING adds them in one statement; the model API would read then write.
  await tx.$executeRaw`
    INSERT INTO rollout_workspaces (rollout_id, workspace_id, ring_position)
    SELECT ${state.id}::uuid, w.id, ${position} FROM workspaces w
    WHERE w.runtime = ${state.templateName} AND w.status <> 'removed'
    ON CONFLICT DO NOTHING`;
}

export type GateMemberRow = {
  workspace_id: string;
  name: string;
  host: string;
  container_id: string | null;
  baseline_container: string | null;
  baseline_restarts: number | null;
};

/** The members the bake gate watches: those of the ring whose reprovision succeeded (the others count against the budget). */
export async function gateMemberRows(
  db: Db,
  rolloutId: string,
  position: number,
  operationId: string | null,
): Promise<GateMemberRow[]> {
  // Raw: the member, its workspace and its item's success (when there is an operation) in one join and EXISTS.
  return db.$queryRaw<GateMemberRow[]>`
    SELECT w.id::text AS workspace_id, w.name, w.host, w.container_id,
           m.container_id AS baseline_container, m.restart_count AS baseline_restarts
    FROM rollout_workspaces m JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.rollout_id = ${rolloutId}::uuid AND m.ring_position = ${position} AND w.status <> 'removed'
      AND (${operationId}::uuid IS NULL OR EXISTS (
        SELECT 1 FROM operation_items i
        WHERE i.operation_id = ${operationId}::uuid AND i.workspace_id = w.id AND i.status = 'succeeded'))
    ORDER BY w.name`;
}
