import "server-only";

import { z } from "zod";

import { defineApiRoute, type ApiDeps } from "@/lib/api/define-api-route";
import { getRollout, listRollouts } from "@/lib/db/rollouts/read";
import { NotFoundError } from "@/lib/domain/errors";
import { abortRollout, advanceRollout, pauseRollout, resumeRollout } from "@/lib/rollouts/control";
import type { RolloutDeps } from "@/lib/rollouts/deps";
import { reasonSchema, templateNameSchema, uuidSchema } from "@/lib/schemas/fields";

import {
  ROLLOUT_STATUS_VALUES,
  rolloutListItemShape,
  rolloutShape,
  toApiRollout,
  toApiRolloutListItem,
} from "./rollout-shapes";

const rolloutParams = z.object({ id: uuidSchema });

/** The engine's next step after a control (rollback, next ring) runs its operations like the API's other reprovisions. */
const engineDeps = (deps: ApiDeps): RolloutDeps => ({ env: deps.env, startOperation: deps.startOperation });
const reasonBody = z.object({ reason: reasonSchema });
const controlled = { status: 200, description: "The rollout after the action", schema: rolloutShape } as const;

export const rolloutsQuery = z.object({
  template: templateNameSchema.optional(),
  status: z.enum(ROLLOUT_STATUS_VALUES).optional().describe("one status; running and paused are the active ones"),
  limit: z.coerce.number().int().min(1).max(200).optional().describe("default 50"),
});

/** GET /rollouts: rollouts newest first, optionally of one template or in one status. */
export const listRolloutsRoute = defineApiRoute({
  method: "GET",
  path: "/rollouts",
  role: "viewer",
  tag: "rollouts",
  summary: "List rollouts, newest first",
  query: rolloutsQuery,
  success: {
    status: 200,
    description: "Rollouts without their rings' workspaces",
    schema: z.object({ rollouts: z.array(rolloutListItemShape) }),
  },
  run: async ({ db, query }) => {
    const rows = await listRollouts(db, {
      ...(query.template ? { templateName: query.template } : {}),
      ...(query.status ? { status: [query.status] } : {}),
      limit: query.limit ?? 50,
    });
    return { rollouts: rows.map(toApiRolloutListItem) };
  },
});

/** GET /rollouts/{id}: one rollout with each ring's status, bake, gate and workspaces. */
export const getRolloutRoute = defineApiRoute({
  method: "GET",
  path: "/rollouts/{id}",
  role: "viewer",
  tag: "rollouts",
  summary: "A rollout with its rings and their workspaces",
  description: "Poll until status is succeeded, rolled_back or aborted.",
  params: rolloutParams,
  success: { status: 200, description: "The rollout", schema: rolloutShape },
  run: async ({ db, params }) => {
    const rollout = await getRollout(db, params.id);
    if (!rollout) throw new NotFoundError(`Rollout ${params.id} not found.`);
    return toApiRollout(rollout);
  },
});

/** POST /rollouts/{id}/pause: stops before the next step; the ring being baked keeps its workspaces. */
export const pauseRolloutRoute = defineApiRoute({
  method: "POST",
  path: "/rollouts/{id}/pause",
  role: "operator",
  tag: "rollouts",
  summary: "Pause a running rollout",
  description: "409 unless the rollout is running.",
  params: rolloutParams,
  body: reasonBody,
  success: controlled,
  run: async ({ db, caller, params, body }) =>
    toApiRollout(await pauseRollout(db, params.id, caller.actor, body.reason)),
});

/** POST /rollouts/{id}/resume: carries on from where it paused; a bake the pause interrupted starts over. */
export const resumeRolloutRoute = defineApiRoute({
  method: "POST",
  path: "/rollouts/{id}/resume",
  role: "operator",
  tag: "rollouts",
  summary: "Resume a paused rollout",
  description:
    "A ring that was baking when paused bakes its full time again from the resume, so time spent paused never passes it. 409 unless the rollout is paused.",
  params: rolloutParams,
  success: controlled,
  run: async ({ db, deps, caller, params }) =>
    toApiRollout(await resumeRollout(db, params.id, caller.actor, engineDeps(deps))),
});

/** POST /rollouts/{id}/abort: rolls every ring already moved back to the previous digest. */
export const abortRolloutRoute = defineApiRoute({
  method: "POST",
  path: "/rollouts/{id}/abort",
  role: "operator",
  tag: "rollouts",
  summary: "Abort a rollout and roll its moved rings back",
  description: "409 when the rollout has already finished.",
  params: rolloutParams,
  body: reasonBody,
  success: controlled,
  run: async ({ db, deps, caller, params, body }) =>
    toApiRollout(await abortRollout(db, params.id, caller.actor, body.reason, engineDeps(deps))),
});

/** POST /rollouts/{id}/advance: ends the current ring's bake (or wait) early and starts the next ring. */
export const advanceRolloutRoute = defineApiRoute({
  method: "POST",
  path: "/rollouts/{id}/advance",
  role: "operator",
  tag: "rollouts",
  summary: "Advance a rollout to its next ring now",
  description: "The reason is audited. 409 when the rollout has finished or its current ring is still reprovisioning.",
  params: rolloutParams,
  body: reasonBody,
  success: controlled,
  run: async ({ db, deps, caller, params, body }) =>
    toApiRollout(await advanceRollout(db, params.id, caller.actor, body.reason, engineDeps(deps))),
});
