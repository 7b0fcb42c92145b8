"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";
import { reprovisionWorkspaceSchema, syncFromDockerSchema } from "@/lib/schemas/workspace";

/**
 * Reprovision one workspace. Only records the operation and starts it in the
 * background; the row polls /api/operations/[id] for the outcome.
 */
export const reprovisionWorkspaceAction = defineAction({
  name: "reprovisionWorkspaceAction",
  role: "operator",
  schema: reprovisionWorkspaceSchema,
  run: async ({ workspaceId, reason }, user) => {
    const { operationId } = await enqueueReprovision(
      await getDb(),
      { workspaceIds: [workspaceId], reason },
      user.email,
    );
    startQueuedOperation(operationId);
    return { operationId };
  },
  revalidate: ["/workspaces", "/stale", "/audit"],
});

/** Reconcile workspace rows with the containers Docker actually has, as a background operation. */
export const syncFromDockerAction = defineAction({
  name: "syncFromDockerAction",
  role: "operator",
  schema: syncFromDockerSchema,
  run: async (_input, user) => {
    const { operationId } = await enqueueSync(await getDb(), user.email);
    startQueuedOperation(operationId);
    return { operationId };
  },
  revalidate: ["/stale", "/audit"],
});
