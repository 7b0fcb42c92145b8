import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { operationEndEvent } from "@/lib/domain/webhook-events";
import type { OperationStatus } from "@/lib/generated/prisma/client";

import { failUnfinishedItems } from "./fail-unfinished-items";
import { CANCELLED_ITEM_OUTCOME, SUCCEEDED_ITEM_OUTCOME } from "./item-outcomes";
import { finalStatus } from "./operation-status";
import { recountOperation } from "./recount-operation";

// The record side of running an operation: claim, item by item progress, and the end.
// The runner (lib/operations/run-operation.ts) decides what to do; these statements write it.

/** `target_digest`: the digest this run reprovisions to instead of the pin (a rollout's ring or rollback), or null. */
export type ClaimedOperation = {
  kind: string;
  requested_by: string;
  reason: string | null;
  concurrency: number;
  target_digest: string | null;
};
export type QueuedItem = { id: string; workspace_id: string };
export type ItemResult =
  | { status: "succeeded"; fromDigest: string | null; toDigest: string | null; image: string }
  | { status: "failed"; error: string; outcome: string };

/** Takes a queued operation for this runner; null when it is not queued (unknown, claimed, finished). */
export async function claimOperation(db: Db, operationId: string): Promise<ClaimedOperation | null> {
  // Raw: the conditional UPDATE … RETURNING is the claim; of two runners (or a runner and a cancel), one wins.
  const [row] = await db.$queryRaw<ClaimedOperation[]>`
    UPDATE operations SET status = 'running', started_at = now()
    WHERE id = ${operationId}::uuid AND status = 'queued'
    RETURNING kind, requested_by, reason, concurrency, target_digest`;
  return row ?? null;
}

export async function queuedItems(db: Db, operationId: string): Promise<QueuedItem[]> {
  // Raw: ids as text (bigint and uuid) in the runner's plain shape, in insertion order.
  return db.$queryRaw<QueuedItem[]>`
    SELECT id::text AS id, workspace_id::text AS workspace_id
    FROM operation_items WHERE operation_id = ${operationId}::uuid AND status = 'queued' ORDER BY id`;
}

/** True when an operator asked to cancel, or the operation is gone. */
export async function isCancelRequested(db: Db, operationId: string): Promise<boolean> {
  const row = await db.operation.findUnique({ where: { id: operationId }, select: { cancelRequested: true } });
  return row?.cancelRequested ?? true;
}

/** Marks a queued item running; false when it is no longer queued (a cancel took it first). */
export async function markItemRunning(db: Db, itemId: string): Promise<boolean> {
  // Raw: UPDATE … FROM copies the digest the workspace runs before we touch it, so even a failed item shows where it stood.
  const count = await db.$executeRaw`
    UPDATE operation_items i SET status = 'running', started_at = now(), from_digest = w.runtime_image_digest
    FROM workspaces w
    WHERE i.id = ${itemId}::bigint AND w.id = i.workspace_id AND i.status = 'queued'`;
  return count === 1;
}

/**
 * One statement per item: the pages count items by status, so progress is exact at every
 * poll; the operation's own counters are set from the items when it ends.
 */
export async function recordItemResult(db: Db, itemId: string, result: ItemResult): Promise<void> {
  // Raw: coalesce keeps the digest markItemRunning recorded when the run did not learn one.
  if (result.status === "succeeded") {
    await db.$executeRaw`
      UPDATE operation_items
      SET status = 'succeeded', from_digest = coalesce(${result.fromDigest}, from_digest), to_digest = ${result.toDigest},
          image = ${result.image}, error = NULL, outcome = ${SUCCEEDED_ITEM_OUTCOME}, finished_at = now()
      WHERE id = ${itemId}::bigint`;
    return;
  }
  await db.operationItem.update({
    where: { id: BigInt(itemId) },
    data: { status: "failed", error: result.error, outcome: result.outcome, finishedAt: new Date() },
  });
}

/** Ends an item run: the queued rest cancelled when `cancelled`, counters recounted, status set, audited. */
export async function finishItemsOperation(
  db: Db,
  operationId: string,
  claimed: ClaimedOperation,
  cancelled: boolean,
): Promise<OperationStatus> {
  return db.$transaction(async (tx) => {
    const skipped = cancelled
      ? (
          await tx.operationItem.updateMany({
            where: { operationId, status: "queued" },
            data: { status: "cancelled", outcome: CANCELLED_ITEM_OUTCOME, finishedAt: new Date() },
          })
        ).count
      : 0;
    const counters = await recountOperation(tx, operationId);
    // A cancel that came after the last item started cancelled nothing: the status says what
    // happened, and the page reads cancelled_by / cancelled_at to say the cancel came too late.
    const status: OperationStatus = skipped > 0 ? "cancelled" : finalStatus(counters.succeeded, counters.failed);
    await tx.operation.update({ where: { id: operationId }, data: { status, finishedAt: new Date() } });
    await recordAudit(tx, {
      actor: claimed.requested_by,
      action: "operation.finished",
      targetType: "operation",
      targetId: operationId,
      reason: claimed.reason,
      after: { kind: claimed.kind, status, ...counters, cancelled: skipped },
    });
    await recordEvent(tx, operationEndEvent(status), {
      operation_id: operationId,
      kind: claimed.kind,
      status,
      ...counters,
      cancelled: skipped,
      actor: claimed.requested_by,
      reason: claimed.reason,
    });
    return status;
  });
}

export type SyncCounts = { adopted: number; updated: number; missing: number; skipped: number; failed: number };

/** Ends a sync: it has no items, so its counters and its report (`error`) are written on the operation. */
export async function finishSyncOperation(
  db: Db,
  operationId: string,
  claimed: ClaimedOperation,
  counts: SyncCounts,
  report: string | null,
): Promise<OperationStatus> {
  const succeeded = counts.adopted + counts.updated + counts.missing;
  const status = finalStatus(succeeded, counts.failed);
  await db.$transaction(async (tx) => {
    await tx.operation.update({
      where: { id: operationId },
      data: {
        status,
        total: succeeded + counts.failed,
        succeeded,
        failed: counts.failed,
        error: report,
        finishedAt: new Date(),
      },
    });
    await recordAudit(tx, {
      actor: claimed.requested_by,
      action: "operation.finished",
      targetType: "operation",
      targetId: operationId,
      after: { kind: "sync", status, ...counts },
    });
    await recordEvent(tx, operationEndEvent(status), {
      operation_id: operationId,
      kind: "sync",
      status,
      succeeded,
      failed: counts.failed,
      actor: claimed.requested_by,
    });
  });
  return status;
}

/** After the run itself broke: every unfinished item fails with `reason`, so none is silently lost. */
export async function abortOperationRecord(db: Db, operationId: string, reason: string): Promise<OperationStatus> {
  return db.$transaction(async (tx) => {
    const { counters } = await failUnfinishedItems(tx, operationId, reason);
    const status: OperationStatus = counters.succeeded > 0 ? "partially_failed" : "failed";
    await tx.operation.updateMany({
      where: { id: operationId, status: { in: ["queued", "running"] } },
      data: { status, error: reason, finishedAt: new Date() },
    });
    await recordEvent(tx, "operation.failed", { operation_id: operationId, status, ...counters, error: reason });
    return status;
  });
}
