import "server-only";

import type { Db } from "@/lib/db/client";
import { describeWorkspaceState } from "@/lib/domain/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

import { NOT_STARTED_ITEM_OUTCOME } from "./item-outcomes";
import { recountOperation } from "./recount-operation";

/**
 * Fails every queued or running item of an operation with `error` (nothing of it
 * is silently lost): a running one leaves its workspace in an unknown state, a queued
 * one never touched it. Then recounts the operation's counters. Returns the items it
 * failed and the new counters.
 */
export async function failUnfinishedItems(
  tx: Prisma.TransactionClient | Db,
  operationId: string,
  error: string,
): Promise<{ items: { id: string; workspace_id: string }[]; counters: { succeeded: number; failed: number } }> {
  // Raw: one UPDATE … RETURNING with a per-row CASE outcome; updateMany returns no rows and sets one value.
  const items = await tx.$queryRaw<{ id: string; workspace_id: string }[]>`
    UPDATE operation_items SET status = 'failed', error = ${error}, finished_at = now(),
      outcome = CASE WHEN status = 'running' THEN ${describeWorkspaceState("unknown")} ELSE ${NOT_STARTED_ITEM_OUTCOME} END
    WHERE operation_id = ${operationId}::uuid AND status IN ('queued', 'running')
    RETURNING id::text AS id, workspace_id::text AS workspace_id`;
  return { items, counters: await recountOperation(tx, operationId) };
}
