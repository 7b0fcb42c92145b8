import { z } from "zod";

import { ringListProblems, type RingConfig, type RingSelector } from "@/lib/domain/rings";

import { plainText, templateNameSchema } from "./fields";

// The rings as the API speaks them (snake_case, like the rest of /api/v1) and the mappers to the
// domain's RingConfig. The list rules live once in lib/domain/rings.ts (ringListProblems).

const ringNameSchema = plainText({ error: "Give the ring a name." })
  .trim()
  .min(1, { error: "Give the ring a name." })
  .max(64, { error: "Ring names are at most 64 characters." })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "A ring name is letters, digits, '_', '.' and '-'." });

const labelKeySchema = plainText().trim().min(1).max(255);
const labelValueSchema = plainText().max(255);

export const ringSelectorInputSchema = z
  .object({
    workspace_ids: z
      .array(z.uuid({ error: "Workspace ids are UUIDs." }))
      .max(1000)
      .optional(),
    labels: z.record(labelKeySchema, labelValueSchema).optional(),
    percent: z
      .number({ error: "percent is a number." })
      .gt(0, { error: "percent must be above 0." })
      .max(100, { error: "percent is at most 100." })
      .optional(),
  })
  .strict();

export const ringInputSchema = z
  .object({
    name: ringNameSchema,
    bake_seconds: z.number().int().min(0).max(86_400),
    failure_budget: z.number().int().min(0).max(10_000),
    max_unavailable: z.number().int().min(0).max(1000),
    auto_advance: z.boolean(),
    selector: ringSelectorInputSchema.nullable().optional(),
    probe: z
      .object({
        path: plainText()
          .trim()
          .regex(/^\/\S*$/, { error: "A probe path starts with / and has no spaces." })
          .max(512),
        expected_status: z.number().int().min(100).max(599),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

/** PUT /api/v1/rings: the whole ordered list; only the last ring has (and must have) no selector. */
export const ringsInputSchema = z
  .object({
    rings: z.array(ringInputSchema).min(1).max(10),
    /** The templates the rings apply to; [] = every template; absent = keep the current choice. */
    templates: z.array(templateNameSchema).max(50).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    for (const message of ringListProblems(value.rings.map(toRingConfig))) {
      context.addIssue({ code: "custom", message, path: ["rings"] });
    }
  });

export type RingInput = z.infer<typeof ringInputSchema>;
export type RingsInput = z.infer<typeof ringsInputSchema>;

export function toRingConfig(input: RingInput): RingConfig {
  const selector = input.selector ?? null;
  return {
    name: input.name,
    bakeSeconds: input.bake_seconds,
    failureBudget: input.failure_budget,
    maxUnavailable: input.max_unavailable,
    autoAdvance: input.auto_advance,
    selector: selector === null ? null : toSelector(selector),
    ...(input.probe ? { probe: { path: input.probe.path, expectedStatus: input.probe.expected_status } } : {}),
  };
}

function toSelector(selector: z.infer<typeof ringSelectorInputSchema>): RingSelector {
  return {
    ...(selector.workspace_ids ? { workspaceIds: selector.workspace_ids.map((id) => id.toLowerCase()) } : {}),
    ...(selector.labels ? { labels: selector.labels } : {}),
    ...(selector.percent !== undefined ? { percent: selector.percent } : {}),
  };
}

/** The API's view of a ring (the GET body and the PUT answer). */
export function fromRingConfig(ring: RingConfig): RingInput & { selector: RingInput["selector"] } {
  const s = ring.selector;
  return {
    name: ring.name,
    bake_seconds: ring.bakeSeconds,
    failure_budget: ring.failureBudget,
    max_unavailable: ring.maxUnavailable,
    auto_advance: ring.autoAdvance,
    selector:
      s === null
        ? null
        : {
            ...(s.workspaceIds ? { workspace_ids: s.workspaceIds } : {}),
            ...(s.labels ? { labels: s.labels } : {}),
            ...(s.percent !== undefined ? { percent: s.percent } : {}),
          },
    ...(ring.probe ? { probe: { path: ring.probe.path, expected_status: ring.probe.expectedStatus } } : {}),
  };
}
