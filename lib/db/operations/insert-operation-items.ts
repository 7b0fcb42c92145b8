import "server-only";

import { Prisma } from "@/lib/generated/prisma/client";

import { BUSY_ELSEWHERE } from "./item-outcomes";

/**
 * The workspaces an operation is meant to cover: a `SELECT w.id, w.created_at FROM workspaces w …`
 * (alias `w` required). Evaluated once per statement below.
 */
export type CandidateWorkspaces = Prisma.Sql;

/** A workspace left out of an operation because another operation already has it. */
export type SkippedWorkspace = { workspaceId: string; workspaceName: string; reason: string };

/** How many skipped workspaces an enqueue names in its answer (all of them are items of the operation). */
export const SKIPPED_LIST_LIMIT = 10;

/**
 * Queues one item per candidate workspace in `operationId`, except workspaces already queued
 * or running in another operation: those get a `skipped` item that names the operation holding them.
 *
 * Raw SQL because the guarantee is the database's: the partial unique index
 * idx_operation_items_active_workspace (one queued/running item per workspace) with
 * ON CONFLICT DO NOTHING. When two enqueues race, the second INSERT waits for the first
 * transaction and then skips what it queued; a read-then-write (NOT EXISTS) check would let
 * both queue the same workspace, since neither sees the other's uncommitted rows. Rows go in
 * (created_at, id) order in every scope, so two racing enqueues wait on each other in the same
 * order and cannot deadlock.
 */
export async function insertOperationItems(
  tx: Prisma.TransactionClient,
  operationId: string,
  candidates: CandidateWorkspaces,
): Promise<{ queued: number; skipped: number }> {
  // Raw: INSERT … SELECT … ON CONFLICT on the partial unique index: one run per workspace, decided by the database.
  const queued = await tx.$executeRaw`
    INSERT INTO operation_items (operation_id, workspace_id)
    SELECT ${operationId}::uuid, c.id FROM (${candidates}) c
    ORDER BY c.created_at, c.id
    ON CONFLICT (workspace_id) WHERE status IN ('queued', 'running') DO NOTHING`;
  // A second statement, so it sees what the first one waited for (READ COMMITTED takes a new snapshot).
  const skipped = await tx.$executeRaw`
    INSERT INTO operation_items (operation_id, workspace_id, status, outcome, finished_at)
    SELECT ${operationId}::uuid, c.id, 'skipped', ${BUSY_ELSEWHERE} || ' ' || busy.operation_id::text, now()
    FROM (${candidates}) c
    JOIN LATERAL (
      SELECT i.operation_id FROM operation_items i
      WHERE i.workspace_id = c.id AND i.status IN ('queued', 'running') AND i.operation_id <> ${operationId}::uuid
      LIMIT 1
    ) busy ON true
    WHERE NOT EXISTS (SELECT 1 FROM operation_items mine WHERE mine.operation_id = ${operationId}::uuid AND mine.workspace_id = c.id)
    ORDER BY c.created_at, c.id`;
  return { queued, skipped };
}

/** The first skipped items of an operation, with their workspace names and reasons. */
export async function listSkippedWorkspaces(
  tx: Prisma.TransactionClient,
  operationId: string,
  limit = SKIPPED_LIST_LIMIT,
): Promise<SkippedWorkspace[]> {
  // Raw: the skipped items with their workspace names in one join, in insertion order.
  const rows = await tx.$queryRaw<{ workspace_id: string; name: string; outcome: string | null }[]>`
    SELECT i.workspace_id::text AS workspace_id, w.name, i.outcome
    FROM operation_items i JOIN workspaces w ON w.id = i.workspace_id
    WHERE i.operation_id = ${operationId}::uuid AND i.status = 'skipped'
    ORDER BY i.id
    LIMIT ${limit}`;
  return rows.map((row) => ({
    workspaceId: row.workspace_id,
    workspaceName: row.name,
    reason: row.outcome ?? BUSY_ELSEWHERE,
  }));
}
