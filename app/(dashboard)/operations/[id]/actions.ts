"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";
import { cancelOperationSchema, retryFailedSchema } from "@/lib/schemas/operation";

/** Ask a running operation to stop: items already running finish, the rest are cancelled. */
export const cancelOperationAction = defineAction({
  name: "cancelOperationAction",
  role: "operator",
  schema: cancelOperationSchema,
  run: async ({ operationId }, user) => {
    await cancelOperation(await getDb(), operationId, user.email);
    return { operationId };
  },
  revalidate: ["/stale", "/audit"],
});

/**
 * "Retry failed": a new reprovision operation over exactly the failed workspaces of a
 * finished one, linked to it (retry_of); workspaces another operation has are skipped.
 */
export const retryFailedAction = defineAction({
  name: "retryFailedAction",
  role: "operator",
  schema: retryFailedSchema,
  run: async ({ operationId, reason }, user) => {
    const result = await enqueueReprovision(await getDb(), { retryOf: operationId, reason }, user.email);
    startQueuedOperation(result.operationId);
    return result;
  },
  revalidate: ["/stale", "/audit"],
});
