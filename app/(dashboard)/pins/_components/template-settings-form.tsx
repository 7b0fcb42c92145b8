"use client";

import { useActionState, useState } from "react";

import { setTemplateSettingsAction } from "@/app/(dashboard)/pins/actions";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** A template's cool-down (seconds) and watched tags; blank fields follow FLEETPIN_MIN_DIGEST_AGE / FLEETPIN_WATCH_TAGS. */
export function TemplateSettingsForm({
  templateName,
  minDigestAgeSeconds,
  watchedTags,
  defaults,
}: {
  templateName: string;
  minDigestAgeSeconds: number | null;
  watchedTags: string[] | null;
  defaults: { minDigestAgeSeconds: number; watchedTags: string[] };
}) {
  const [state, formAction] = useActionState(setTemplateSettingsAction, null);
  const [age, setAge] = useState(minDigestAgeSeconds === null ? "" : String(minDigestAgeSeconds));
  const [tags, setTags] = useState(watchedTags?.join(", ") ?? "");
  const [reason, setReason] = useState("");
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="grid gap-3 sm:grid-cols-3" data-testid="template-settings-form" noValidate>
      <input type="hidden" name="templateName" value={templateName} />
      <Field
        id="settings-age"
        label="Cool-down (seconds)"
        errors={errors?.minDigestAgeSeconds}
        hint={`Blank: ${defaults.minDigestAgeSeconds} s (FLEETPIN_MIN_DIGEST_AGE).`}
      >
        {(control) => (
          <Input
            {...control}
            name="minDigestAgeSeconds"
            inputMode="numeric"
            value={age}
            onChange={(event) => setAge(event.target.value)}
          />
        )}
      </Field>
      <Field
        id="settings-tags"
        label="Watched tags"
        errors={errors?.watchedTags}
        hint={`Blank: ${defaults.watchedTags.join(", ")} (FLEETPIN_WATCH_TAGS).`}
      >
        {(control) => (
          <Input
            {...control}
            name="watchedTags"
            value={tags}
            onChange={(event) => setTags(event.target.value)}
            placeholder="latest, stable"
          />
        )}
      </Field>
      <Field id="settings-reason" label="Reason (optional)" errors={errors?.reason}>
        {(control) => (
          <Input
            {...control}
            name="reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={500}
          />
        )}
      </Field>
      <div className="flex items-center justify-end gap-3 sm:col-span-3">
        <FormMessage state={state} success="Saved." testId="template-settings-message" />
        <SubmitButton variant="secondary" pendingLabel="Saving…" testId="template-settings-submit">
          Save
        </SubmitButton>
      </div>
    </form>
  );
}
