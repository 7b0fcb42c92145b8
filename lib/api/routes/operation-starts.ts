import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { MAX_CONCURRENCY } from "@/lib/db/operations/resolve-concurrency";
import { optionalReasonSchema, reasonSchema, templateNameSchema, uuidSchema } from "@/lib/schemas/fields";

import { operationParams } from "./operations";
import { acceptedOperationShape, operationLocation } from "./shapes";

// Each route records the operation (and its audit row) with the same lib/ call as the page's
// action, then starts it in the background; the caller polls GET /operations/{id}.

const accepted = {
  status: 202,
  description: "Queued; poll GET /operations/{operation_id} (also in Location)",
  schema: acceptedOperationShape,
} as const;

/** POST /workspaces/{id}/reprovision. */
export const reprovisionOneRoute = defineApiRoute({
  method: "POST",
  path: "/workspaces/{id}/reprovision",
  role: "operator",
  tag: "workspaces",
  summary: "Reprovision one workspace",
  params: z.object({ id: uuidSchema }),
  body: z.object({ reason: optionalReasonSchema }),
  success: accepted,
  location: operationLocation,
  run: async ({ db, deps, caller, params, body }) => {
    const result = await enqueueReprovision(
      db,
      { workspaceIds: [params.id], reason: body.reason },
      caller.actor,
      deps.env,
    );
    deps.startOperation(result.operationId);
    return { operation_id: result.operationId };
  },
});

export const bulkReprovisionBody = z.object({
  template: templateNameSchema
    .optional()
    .describe("only this template's stale workspaces; all templates when left out"),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(MAX_CONCURRENCY)
    .optional()
    .describe("workspaces at once; FLEETPIN_BULK_CONCURRENCY (4) when left out"),
  reason: reasonSchema,
});

/** POST /reprovision: every stale workspace (of one template or all) as one operation. */
export const bulkReprovisionRoute = defineApiRoute({
  method: "POST",
  path: "/reprovision",
  role: "operator",
  tag: "workspaces",
  summary: "Reprovision every stale workspace",
  description:
    "422 when there is nothing to reprovision; workspaces another operation already has are skipped (counted in skipped).",
  body: bulkReprovisionBody,
  success: accepted,
  location: operationLocation,
  run: async ({ db, deps, caller, body }) => {
    const input = { allStale: true, template: body.template, reason: body.reason, concurrency: body.concurrency };
    const result = await enqueueReprovision(db, input, caller.actor, deps.env);
    deps.startOperation(result.operationId);
    return { operation_id: result.operationId, total: result.total, queued: result.queued, skipped: result.skipped };
  },
});

/** POST /sync: reconcile workspace rows with Docker's containers. */
export const syncRoute = defineApiRoute({
  method: "POST",
  path: "/sync",
  role: "operator",
  tag: "workspaces",
  summary: "Sync workspaces from Docker",
  body: z.object({}),
  success: accepted,
  location: operationLocation,
  run: async ({ db, deps, caller }) => {
    const { operationId } = await enqueueSync(db, caller.actor);
    deps.startOperation(operationId);
    return { operation_id: operationId };
  },
});

/** POST /operations/{id}/cancel: items already running finish, the rest are cancelled. */
export const cancelOperationRoute = defineApiRoute({
  method: "POST",
  path: "/operations/{id}/cancel",
  role: "operator",
  tag: "operations",
  summary: "Cancel a queued or running operation",
  description: "409 when it already finished; asking twice is harmless.",
  params: operationParams,
  body: z.object({}),
  success: {
    status: 200,
    description: "Cancel recorded",
    schema: z.object({ operation_id: z.uuid(), status: z.string(), cancel_requested: z.literal(true) }),
  },
  run: async ({ db, caller, params }) => {
    const result = await cancelOperation(db, params.id, caller.actor);
    return { operation_id: result.operationId, status: result.status, cancel_requested: result.cancelRequested };
  },
});
