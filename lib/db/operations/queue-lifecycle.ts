import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import type { OperationStatus } from "@/lib/generated/prisma/client";

import { CANCELLED_ITEM_OUTCOME } from "./item-outcomes";
import { finalStatus } from "./operation-status";
import { recountOperation } from "./recount-operation";

// The record side of running an operation through the job queue (lib/operations/queue): each item
// is its own job, possibly in another process, so the operation is started by whichever job comes
// first and finished by whichever ends the last item. Every step is one conditional statement.

export type OperationForQueue = { id: string; kind: string; status: string; concurrency: number };
export type ItemToQueue = { id: string; workspace_id: string };

/** The operation, for sending its jobs; null when unknown. */
export async function operationForQueue(db: Db, operationId: string): Promise<OperationForQueue | null> {
  const row = await db.operation.findUnique({
    where: { id: operationId },
    select: { id: true, kind: true, status: true, concurrency: true },
  });
  return row;
}

/** Items still to run (queued) or cut short (running), in insertion order. */
export async function unfinishedItems(db: Db, operationId: string): Promise<ItemToQueue[]> {
  // Raw: ids as text (bigint and uuid) in the queue's plain shape, in insertion order.
  return db.$queryRaw<ItemToQueue[]>`
    SELECT id::text AS id, workspace_id::text AS workspace_id
    FROM operation_items WHERE operation_id = ${operationId}::uuid AND status IN ('queued', 'running') ORDER BY id`;
}

/** Ids of operations that are queued or running. */
export async function activeOperationIds(db: Db): Promise<string[]> {
  const rows = await db.operation.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => row.id);
}

/** Queued → running, once, by the first job of the operation that runs; false when it was not queued. */
export async function startOperationIfQueued(db: Db, operationId: string): Promise<boolean> {
  // Raw: a conditional UPDATE is the claim; of many jobs (and a cancel), one wins.
  const count = await db.$executeRaw`
    UPDATE operations SET status = 'running', started_at = now() WHERE id = ${operationId}::uuid AND status = 'queued'`;
  return count === 1;
}

/** What an item's job needs to decide: the item, its operation and the lock on its workspace. */
export type ItemJobState = {
  item_status: string;
  workspace_id: string;
  from_digest: string | null;
  operation_status: string;
  cancel_requested: boolean;
  requested_by: string;
  reason: string | null;
  /** The operation's digest instead of the pin (a rollout's ring or rollback), or null. */
  target_digest: string | null;
};

export async function readItemJobState(db: Db, itemId: string): Promise<ItemJobState | null> {
  // Raw: one read across the item and its operation, with the enums as text.
  const [row] = await db.$queryRaw<ItemJobState[]>`
    SELECT i.status::text AS item_status, i.workspace_id::text AS workspace_id, i.from_digest,
           o.status::text AS operation_status, o.cancel_requested, o.requested_by, o.reason, o.target_digest
    FROM operation_items i JOIN operations o ON o.id = i.operation_id
    WHERE i.id = ${itemId}::bigint`;
  return row ?? null;
}

/** After a cancel: every item of the operation not started yet is cancelled, by the first job that sees it. */
export async function cancelQueuedItems(db: Db, operationId: string): Promise<number> {
  const { count } = await db.operationItem.updateMany({
    where: { operationId, status: "queued" },
    data: { status: "cancelled", outcome: CANCELLED_ITEM_OUTCOME, finishedAt: new Date() },
  });
  return count;
}

/**
 * Ends the operation when none of its items is queued or running any more: counters recounted,
 * status set, one audit row. Exactly once whichever worker calls it: the operation row is locked
 * and must still be running. Returns the final status, or null when it is not this call's to end.
 */
export async function finishOperationIfDone(db: Db, operationId: string): Promise<OperationStatus | null> {
  return db.$transaction(async (tx) => {
    // Raw: FOR UPDATE serializes the workers ending the last items; the second sees it finished.
    const [op] = await tx.$queryRaw<
      { kind: string; requested_by: string; reason: string | null; cancel_requested: boolean }[]
    >`
      SELECT kind, requested_by, reason, cancel_requested FROM operations WHERE id = ${operationId}::uuid AND status = 'running' FOR UPDATE`;
    if (!op) return null;
    // Raw: two FILTERed counts in one read, inside the FOR UPDATE above.
    const [left] = await tx.$queryRaw<{ active: number; cancelled: number }[]>`
      SELECT count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS active,
             count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
      FROM operation_items WHERE operation_id = ${operationId}::uuid`;
    if (!left || left.active > 0) return null;
    const counters = await recountOperation(tx, operationId);
    const status: OperationStatus =
      op.cancel_requested && left.cancelled > 0 ? "cancelled" : finalStatus(counters.succeeded, counters.failed);
    await tx.operation.update({ where: { id: operationId }, data: { status, finishedAt: new Date() } });
    await recordAudit(tx, {
      actor: op.requested_by,
      action: "operation.finished",
      targetType: "operation",
      targetId: operationId,
      reason: op.reason,
      after: { kind: op.kind, status, ...counters, cancelled: left.cancelled },
    });
    return status;
  });
}

/** The lock on a workspace, to tell a dead attempt's lock from a live one. */
export async function workspaceLock(db: Db, workspaceId: string) {
  return db.workspace.findUnique({
    where: { id: workspaceId },
    select: {
      id: true,
      runtime: true,
      status: true,
      lockedBy: true,
      lockedAt: true,
      swapState: true,
      runtimeImage: true,
      runtimeImageDigest: true,
    },
  });
}
