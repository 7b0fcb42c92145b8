import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { disableRings, loadRings, replaceRings } from "@/lib/db/rings";
import { fromRingConfig, ringInputSchema, ringsInputSchema, toRingConfig } from "@/lib/schemas/rings";

const ringsShape = z.object({
  enabled: z
    .boolean()
    .describe("false until rings are saved (or after they are disabled): a promote moves the whole pin"),
  rings: z.array(ringInputSchema).describe("in order; the last ring has selector null and holds every other workspace"),
  templates: z
    .array(z.string())
    .describe("the templates whose promotes roll out through the rings; empty = every template"),
});

/** GET /rings: the ordered ring list; none (enabled false) while rings were never saved or are disabled. */
export const listRingsRoute = defineApiRoute({
  method: "GET",
  path: "/rings",
  role: "viewer",
  tag: "rings",
  summary: "The ordered ring list promotes roll out through",
  success: { status: 200, description: "The rings, first to last", schema: ringsShape },
  run: async ({ db }) => {
    const { enabled, rings, templates } = await loadRings(db);
    return { enabled, rings: rings.map(fromRingConfig), templates };
  },
});

/** PUT /rings: replaces the whole ordered list (audited); from then on a promote starts a rollout. */
export const replaceRingsRoute = defineApiRoute({
  method: "PUT",
  path: "/rings",
  role: "operator",
  tag: "rings",
  summary: "Replace the ordered ring list",
  description:
    "The whole list, first ring first: 1 to 10 rings with unique names; every ring but the last has a selector (workspace_ids, labels and/or percent), the last has none and holds the rest. `templates` limits the rings to those templates ([] = every template; left out = keep the current choice). Rollouts already running keep the rings they started with.",
  body: ringsInputSchema,
  success: { status: 200, description: "The rings as stored", schema: ringsShape },
  run: async ({ db, caller, body }) => {
    const options = body.templates !== undefined ? { templates: body.templates } : {};
    await replaceRings(db, body.rings.map(toRingConfig), caller.actor, options);
    const { rings, templates } = await loadRings(db);
    return { enabled: true, rings: rings.map(fromRingConfig), templates };
  },
});

/** DELETE /rings: back to no rings, where a promote moves the whole pin at once (audited). */
export const disableRingsRoute = defineApiRoute({
  method: "DELETE",
  path: "/rings",
  role: "operator",
  tag: "rings",
  summary: "Disable rings",
  description: "Promotes move the pin at once again. Rollouts already running finish with their own rings.",
  success: { status: 200, description: "Disabled", schema: z.object({ enabled: z.literal(false) }) },
  run: async ({ db, caller }) => {
    await disableRings(db, caller.actor);
    return { enabled: false as const };
  },
});
