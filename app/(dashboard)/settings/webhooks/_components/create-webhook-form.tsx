"use client";

import { useActionState, useState } from "react";

import { createWebhookAction } from "@/app/(dashboard)/settings/webhooks/actions";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import { WEBHOOK_EVENTS } from "@/lib/domain/webhook-events";

/** Registers an endpoint; after success shows the secret once, with what receivers do with it. */
export function CreateWebhookForm() {
  const [state, formAction] = useActionState(createWebhookAction, null);
  const [url, setUrl] = useState("");
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  useActionOutcome(state, (data) => {
    setCreated({ url: data.url, secret: data.secret });
    setUrl("");
  });
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <form action={formAction} className="space-y-3" data-testid="create-webhook-form" noValidate>
      <Field id="webhook-url" label="Receiver URL" errors={errors?.url}>
        {(control) => (
          <Input
            {...control}
            name="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://hooks.example.com/fleetpin"
            required
          />
        )}
      </Field>
      <Field
        id="webhook-secret"
        label="Secret"
        hint="Leave blank to have one generated. Receivers check X-Fleetpin-Signature with it."
        errors={errors?.secret}
      >
        {(control) => <Input {...control} name="secret" type="password" autoComplete="off" />}
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-700">Events</legend>
        <div className="grid grid-cols-2 gap-1 sm:grid-cols-3">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="events[]" value={event} defaultChecked />
              <code>{event}</code>
            </label>
          ))}
        </div>
        {errors?.events && <p className="text-xs text-red-700">{errors.events.join(" ")}</p>}
      </fieldset>
      <FormMessage state={state && !state.ok ? state : null} testId="create-webhook-message" />
      {created && (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 [overflow-wrap:anywhere]"
          data-testid="webhook-secret"
        >
          Added {created.url}. Its secret, shown only now: <code>{created.secret}</code>
        </p>
      )}
      <div className="flex justify-end">
        <SubmitButton pendingLabel="Adding…" testId="create-webhook-submit">
          Add endpoint
        </SubmitButton>
      </div>
    </form>
  );
}
