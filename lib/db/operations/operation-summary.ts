import "server-only";

import type { Db } from "@/lib/db/client";
import type { OperationSummary } from "@/lib/domain/operation-progress";
import { Prisma, type OperationItemStatus, type OperationStatus } from "@/lib/generated/prisma/client";

import { isActiveOperationStatus } from "./operation-status";

/** What an operation does: one workspace, many workspaces, or a sync with Docker. */
export type OperationKind = "reprovision" | "bulk_reprovision" | "sync";

/** How many of an operation's items are in each status; a status without items is absent. */
export type OperationItemCounts = Partial<Record<OperationItemStatus, number>>;

/** Item counts by status for each of the operations, in one query (empty ids: no query). */
export async function countOperationItems(db: Db, operationIds: string[]): Promise<Map<string, OperationItemCounts>> {
  const byOperation = new Map<string, OperationItemCounts>();
  if (operationIds.length === 0) return byOperation;
  // Raw: one grouped count per operation and status over the item index, enums as text.
  const rows = await db.$queryRaw<{ operation_id: string; status: OperationItemStatus; n: number }[]>`
    SELECT operation_id::text AS operation_id, status::text AS status, count(*)::int AS n
    FROM operation_items
    WHERE operation_id IN (${Prisma.join(operationIds.map((id) => Prisma.sql`${id}::uuid`))})
    GROUP BY operation_id, status`;
  for (const row of rows) {
    const counts = byOperation.get(row.operation_id) ?? {};
    counts[row.status] = row.n;
    byOperation.set(row.operation_id, counts);
  }
  return byOperation;
}

type OperationRow = {
  id: string;
  kind: string;
  status: OperationStatus;
  requestedBy: string;
  templateName: string | null;
  reason: string | null;
  concurrency: number;
  total: number;
  succeeded: number;
  failed: number;
  cancelRequested: boolean;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  retryOf: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/**
 * The summary of an operation from the per-status counts of its items (one grouped count),
 * so every counter matches the items exactly at every poll. A sync has no items: its own
 * columns are its counters.
 */
export function toOperationSummary(operation: OperationRow, counts: OperationItemCounts = {}): OperationSummary {
  const fromItems = operation.kind !== "sync";
  const succeeded = fromItems ? (counts.succeeded ?? 0) : operation.succeeded;
  const failed = fromItems ? (counts.failed ?? 0) : operation.failed;
  const cancelled = counts.cancelled ?? 0;
  const skipped = counts.skipped ?? 0;
  const queued = counts.queued ?? 0;
  const running = counts.running ?? 0;
  const total = fromItems ? succeeded + failed + cancelled + skipped + queued + running : operation.total;
  const finished = succeeded + failed + cancelled + skipped;
  const terminal = !isActiveOperationStatus(operation.status);
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    total,
    succeeded,
    failed,
    cancelled,
    skipped,
    queued,
    running,
    percent: total > 0 ? Math.min(100, Math.floor((finished / total) * 100)) : terminal ? 100 : 0,
    cancelRequested: operation.cancelRequested,
    cancelledBy: operation.cancelledBy,
    cancelledAt: operation.cancelledAt,
    retryOf: operation.retryOf,
    templateName: operation.templateName,
    reason: operation.reason,
    requestedBy: operation.requestedBy,
    concurrency: operation.concurrency,
    error: operation.error,
    createdAt: operation.createdAt,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
  };
}
