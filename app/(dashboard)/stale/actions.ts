"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";
import { reprovisionDownSchema, reprovisionStaleSchema } from "@/lib/schemas/workspace";

/**
 * Reprovision every stale workspace (of one template, or of all) as one
 * background operation with bounded concurrency; returns its id to follow.
 */
export const reprovisionStaleAction = defineAction({
  name: "reprovisionStaleAction",
  role: "operator",
  schema: reprovisionStaleSchema,
  run: async ({ template, reason }, user) => {
    // `skipped` / `skippedWorkspaces`: workspaces another operation already has (its page lists them too).
    const result = await enqueueReprovision(await getDb(), { allStale: true, template, reason }, user.email);
    startQueuedOperation(result.operationId);
    return result;
  },
  revalidate: ["/stale", "/audit"],
});

/**
 * Reprovision every workspace Fleetpin saw `down` (its container is not running although
 * it should), of one template or of all, as one background operation; returns its id.
 */
export const reprovisionDownAction = defineAction({
  name: "reprovisionDownAction",
  role: "operator",
  schema: reprovisionDownSchema,
  run: async ({ template, reason }, user) => {
    const result = await enqueueReprovision(await getDb(), { allDown: true, template, reason }, user.email);
    startQueuedOperation(result.operationId);
    return result;
  },
  revalidate: ["/stale", "/workspaces", "/audit"],
});
