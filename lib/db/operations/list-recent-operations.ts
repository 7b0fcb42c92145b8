import "server-only";

import type { Db } from "@/lib/db/client";
import type { OperationSummary } from "@/lib/domain/operation-progress";

import { countOperationItems, toOperationSummary } from "./operation-summary";

/** The latest operations, newest first, with their counters (two queries whatever the limit). */
export async function listRecentOperations(db: Db, limit = 20): Promise<OperationSummary[]> {
  const operations = await db.operation.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(200, Math.max(1, Math.trunc(limit) || 20)),
  });
  const counts = await countOperationItems(
    db,
    operations.map((operation) => operation.id),
  );
  return operations.map((operation) => toOperationSummary(operation, counts.get(operation.id)));
}
