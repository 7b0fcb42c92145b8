import "server-only";

import type { Db } from "@/lib/db/client";
import { isUuid } from "@/lib/domain/is-uuid";
import type { OperationProgress } from "@/lib/domain/operation-progress";
import type { OperationItemStatus } from "@/lib/generated/prisma/client";

import { countOperationItems, toOperationSummary } from "./operation-summary";

/** How many items getOperationProgress returns unless told otherwise. */
export const DEFAULT_ITEM_LIMIT = 500;

/** One operation with its counters and items (see OperationProgress), or null when there is none. */
export async function getOperationProgress(
  db: Db,
  operationId: string,
  options: { itemLimit?: number } = {},
): Promise<OperationProgress | null> {
  if (!isUuid(operationId)) return null;
  const operation = await db.operation.findUnique({ where: { id: operationId } });
  if (!operation) return null;
  const limit = Math.max(1, Math.trunc(options.itemLimit ?? DEFAULT_ITEM_LIMIT));
  const [counts, retries, items] = await Promise.all([
    countOperationItems(db, [operationId]),
    db.operation.findMany({ where: { retryOf: operationId }, orderBy: { createdAt: "asc" }, select: { id: true } }),
    // Raw: items with their workspace names, failures and running ones first (ORDER BY expressions the model API lacks).
    db.$queryRaw<RawItem[]>`
      SELECT i.id::text AS id, i.workspace_id::text AS workspace_id, w.name AS workspace_name, i.status::text AS status,
             i.from_digest, i.to_digest, i.image, i.error, i.outcome, i.started_at, i.finished_at
      FROM operation_items i JOIN workspaces w ON w.id = i.workspace_id
      WHERE i.operation_id = ${operationId}::uuid
      ORDER BY (i.status = 'failed') DESC, (i.status = 'running') DESC, (i.status = 'skipped') DESC, i.id
      LIMIT ${limit}`,
  ]);
  const summary = toOperationSummary(operation, counts.get(operationId));
  return {
    ...summary,
    items: items.map((item) => ({
      id: item.id,
      workspaceId: item.workspace_id,
      workspaceName: item.workspace_name,
      status: item.status,
      fromDigest: item.from_digest,
      toDigest: item.to_digest,
      image: item.image,
      error: item.error,
      outcome: item.outcome,
      startedAt: item.started_at,
      finishedAt: item.finished_at,
    })),
    itemsOmitted: Math.max(0, summary.total - items.length),
    retriedBy: retries.map((retry) => retry.id),
  };
}

type RawItem = {
  id: string;
  workspace_id: string;
  workspace_name: string;
  status: OperationItemStatus;
  from_digest: string | null;
  to_digest: string | null;
  image: string | null;
  error: string | null;
  outcome: string | null;
  started_at: Date | null;
  finished_at: Date | null;
};
