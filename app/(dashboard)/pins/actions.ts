"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { rollbackPin, unpinTemplate } from "@/lib/db/pins";
import { promoteFromInput } from "@/lib/pins/promote";
import { promotePinSchema, rollbackPinSchema, unpinTemplateSchema } from "@/lib/schemas/pin";

// A pin change moves workspaces between "on pin" and "stale" and writes an audit row.
const AFFECTED = ["/pins", "/workspaces", "/stale", "/audit"];

/** Promote a digest (or a tag resolved through the registry) to be a template's pin. */
export const promotePinAction = defineAction({
  name: "promotePinAction",
  role: "operator",
  schema: promotePinSchema,
  run: async (input, user) => promoteFromInput(await getDb(), input, user.email),
  revalidate: AFFECTED,
});

/** Put back the digest the current pin replaced. */
export const rollbackPinAction = defineAction({
  name: "rollbackPinAction",
  role: "operator",
  schema: rollbackPinSchema,
  run: async (input, user) => rollbackPin(await getDb(), input, user.email),
  revalidate: AFFECTED,
});

/** Remove a template's pin so new workspaces follow :latest again. */
export const unpinTemplateAction = defineAction({
  name: "unpinTemplateAction",
  role: "operator",
  schema: unpinTemplateSchema,
  run: async (input, user) => unpinTemplate(await getDb(), input, user.email),
  revalidate: AFFECTED,
});
