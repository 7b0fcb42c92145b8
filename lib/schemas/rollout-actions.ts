import { z } from "zod";

import { optionalReasonSchema, plainText, uuidSchema } from "./fields";

// The forms of the rings settings page and the rollout page. The rings themselves are validated by
// ringsInputSchema (the API's schema); the form only carries that body as JSON text.

/** Settings → Rings "Save": the PUT /api/v1/rings body as JSON in one hidden field. */
export const saveRingsFormSchema = z.object({ body: plainText({ allowLineBreaks: true }).max(200_000) });

/** The rollout page's controls; every control but resume needs a reason (it is audited with it). */
export const rolloutControlFormSchema = z
  .object({
    rolloutId: uuidSchema,
    control: z.enum(["pause", "resume", "abort", "advance"], { error: "Choose pause, resume, abort or advance." }),
    reason: optionalReasonSchema,
  })
  .refine((form) => form.control === "resume" || form.reason !== undefined, {
    error: "Give a reason; it goes into the audit log.",
    path: ["reason"],
  });

/** The id of the workspaces page's "Add to ring" form; the table's row checkboxes name it in their form attribute. */
export const ADD_TO_RING_FORM_ID = "add-to-ring-form";

/** The "Add to ring" choice that only removes explicit membership (labels and percent decide again). */
export const NO_EXPLICIT_RING = "-";

/** Workspaces page "Add to ring": the chosen workspaces become explicit members of one ring (or of none). */
export const addToRingFormSchema = z.object({
  ring: plainText().trim().min(1, { error: "Choose a ring." }).max(64),
  workspaceIds: z.array(uuidSchema).min(1, { error: "Select at least one workspace." }).max(1000),
});
