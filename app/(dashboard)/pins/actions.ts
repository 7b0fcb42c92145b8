"use server";

import type { z } from "zod";

import { defineAction } from "@/lib/auth/define-action";
import { getDb, type Db } from "@/lib/db/client";
import { liftQuarantine } from "@/lib/db/ledger/quarantine";
import { setTemplateSettings } from "@/lib/db/ledger/template-settings";
import { rollbackPin, unpinTemplate, type PinChange } from "@/lib/db/pins";
import { promoteFromInput } from "@/lib/pins/promote";
import { liftQuarantineFormSchema, templateSettingsFormSchema } from "@/lib/schemas/ledger";
import { promotePinSchema, rollbackPinSchema, unpinTemplateSchema } from "@/lib/schemas/pin";

// A pin change moves workspaces between "on pin" and "stale" and writes an audit row.
const AFFECTED = ["/pins", "/workspaces", "/stale", "/audit"];

/**
 * A pin change action: defineAction re-checks the session and the operator
 * role on every call, validates the form with `schema`, runs `change` as the
 * signed-in user and revalidates the pages a pin change moves.
 */
function pinChangeAction<S extends z.ZodType>(
  name: string,
  schema: S,
  change: (db: Db, input: z.infer<S>, actor: string) => Promise<PinChange>,
) {
  return defineAction({
    name,
    role: "operator",
    schema,
    run: async (input, user) => change(await getDb(), input, user.email),
    revalidate: AFFECTED,
  });
}

/** Promote a digest (or a tag resolved through the registry) to be a template's pin. */
export const promotePinAction = pinChangeAction("promotePinAction", promotePinSchema, promoteFromInput);

/** Put back the digest the current pin replaced. */
export const rollbackPinAction = pinChangeAction("rollbackPinAction", rollbackPinSchema, rollbackPin);

/** Remove a template's pin so new workspaces follow :latest again. */
export const unpinTemplateAction = pinChangeAction("unpinTemplateAction", unpinTemplateSchema, unpinTemplate);

/** Lift a digest's quarantine (a rollback put it there); the reason is audited. */
export const liftQuarantineAction = defineAction({
  name: "liftQuarantineAction",
  role: "operator",
  schema: liftQuarantineFormSchema,
  run: async (input, user) => {
    const lifted = await liftQuarantine(await getDb(), input, user.email);
    return { templateName: lifted.templateName, digest: lifted.digest };
  },
  revalidate: ["/pins", "/audit"],
});

/** Set a template's cool-down and watched tags (blank = the env defaults); audited. */
export const setTemplateSettingsAction = defineAction({
  name: "setTemplateSettingsAction",
  role: "operator",
  schema: templateSettingsFormSchema,
  run: async (input, user) => {
    const settings = { minDigestAgeSeconds: input.minDigestAgeSeconds, watchedTags: input.watchedTags };
    await setTemplateSettings(await getDb(), input.templateName, settings, user.email, input.reason ?? null);
    return settings;
  },
  revalidate: ["/pins", "/audit"],
});
