import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { NotFoundError } from "@/lib/domain/errors";
import { type OperationProgress } from "@/lib/domain/operation-progress";
import { uuidSchema } from "@/lib/schemas/fields";

import { iso, operationShape } from "./shapes";

/** An operation id in the path. */
export const operationParams = z.object({ id: uuidSchema });

/** GET /operations/{id}: an operation's status, counters and items, what the operation page polls. */
export const getOperationRoute = defineApiRoute({
  method: "GET",
  path: "/operations/{id}",
  role: "viewer",
  tag: "operations",
  summary: "An operation with its counters and items",
  description: "Poll until status is one of succeeded, failed, partially_failed, cancelled.",
  params: operationParams,
  success: { status: 200, description: "The operation", schema: operationShape },
  run: async ({ db, params }) => {
    const progress = await getOperationProgress(db, params.id);
    if (!progress) throw new NotFoundError(`Operation ${params.id} not found.`);
    return toApiOperation(progress);
  },
});

export function toApiOperation(progress: OperationProgress): z.infer<typeof operationShape> {
  return {
    id: progress.id,
    kind: progress.kind as z.infer<typeof operationShape>["kind"],
    status: progress.status,
    total: progress.total,
    succeeded: progress.succeeded,
    failed: progress.failed,
    cancelled: progress.cancelled,
    skipped: progress.skipped,
    queued: progress.queued,
    running: progress.running,
    percent: progress.percent,
    template: progress.templateName,
    reason: progress.reason,
    requested_by: progress.requestedBy,
    concurrency: progress.concurrency,
    cancel_requested: progress.cancelRequested,
    error: progress.error,
    retry_of: progress.retryOf,
    created_at: progress.createdAt.toISOString(),
    started_at: iso(progress.startedAt),
    finished_at: iso(progress.finishedAt),
    items: progress.items.map((item) => ({
      workspace_id: item.workspaceId,
      workspace_name: item.workspaceName,
      status: item.status,
      error: item.error,
      outcome: item.outcome,
      from_digest: item.fromDigest,
      to_digest: item.toDigest,
      image: item.image,
      started_at: iso(item.startedAt),
      finished_at: iso(item.finishedAt),
    })),
    items_omitted: progress.itemsOmitted,
  };
}
