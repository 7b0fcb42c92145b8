"use server";

import { z } from "zod";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { disableRings, replaceRings } from "@/lib/db/rings";
import { ValidationError } from "@/lib/domain/errors";
import { ringsInputSchema, toRingConfig } from "@/lib/schemas/rings";
import { saveRingsFormSchema } from "@/lib/schemas/rollout-actions";

const REVALIDATE = ["/settings/rings", "/workspaces", "/pins", "/audit"];

/** zod issues under the API's dotted field names (`rings.0.bake_seconds`), so the editor puts each on its field. */
function dottedFieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) (errors[issue.path.map(String).join(".") || "rings"] ??= []).push(issue.message);
  return errors;
}

/** Settings → Rings "Save": the editor's list, checked by the API's own schema, replaces the stored one (audited). */
export const saveRingsAction = defineAction({
  name: "saveRingsAction",
  role: "operator",
  schema: saveRingsFormSchema,
  run: async ({ body }, user) => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ValidationError("The ring list did not arrive whole; reload the page and try again.");
    }
    const parsed = ringsInputSchema.safeParse(json);
    if (!parsed.success) throw new ValidationError("Some rings need attention.", dottedFieldErrors(parsed.error));
    const { rings, templates } = parsed.data;
    const stored = await replaceRings(await getDb(), rings.map(toRingConfig), user.email, {
      templates: templates ?? [],
    });
    return { count: stored.length };
  },
  revalidate: REVALIDATE,
});

/** Settings → Rings "Disable rings": promotes move the whole pin at once again (audited). */
export const disableRingsAction = defineAction({
  name: "disableRingsAction",
  role: "operator",
  schema: z.object({}),
  run: async (_input, user) => {
    await disableRings(await getDb(), user.email);
    return { enabled: false };
  },
  revalidate: REVALIDATE,
});
