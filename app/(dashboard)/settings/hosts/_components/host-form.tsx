"use client";

import { useActionState } from "react";

import { saveHostAction } from "@/app/(dashboard)/settings/hosts/actions";
import { Field, Input, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** What the form starts from: a host being edited (no TLS material is ever sent back), or blank. */
export interface HostFormValues {
  name: string;
  endpoint: string;
  labels: string;
  concurrency: number;
  tls: boolean;
}

/**
 * Add or edit a Docker host. TLS material goes one way only: pasted PEM is sealed on the server
 * and never shown again; on edit, blank TLS fields keep what is stored.
 */
export function HostForm({ initial }: { initial: HostFormValues | null }) {
  const [state, action] = useActionState(saveHostAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const id = initial ? `host-${initial.name}` : "host-new";
  return (
    <form action={action} className="grid gap-3 p-4 md:grid-cols-2" data-testid={`${id}-form`}>
      <input type="hidden" name="mode" value={initial ? "edit" : "add"} />
      {initial ? (
        <input type="hidden" name="name" value={initial.name} />
      ) : (
        <Field
          id={`${id}-name`}
          label="Name"
          errors={errors?.name}
          hint="e.g. eu-1; lowercase letters, digits, '.', '-', '_'"
        >
          {(control) => <Input {...control} name="name" required autoComplete="off" />}
        </Field>
      )}
      <Field
        id={`${id}-endpoint`}
        label="Endpoint"
        errors={errors?.endpoint}
        hint="unix:///var/run/docker.sock or tcp://host:2376"
      >
        {(control) => (
          <Input
            {...control}
            name="endpoint"
            defaultValue={initial?.endpoint ?? ""}
            required
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <Field
        id={`${id}-labels`}
        label="Labels"
        errors={errors?.labels}
        hint="name=value, comma separated (region=eu, tier=gpu)"
      >
        {(control) => <Input {...control} name="labels" defaultValue={initial?.labels ?? ""} autoComplete="off" />}
      </Field>
      <Field
        id={`${id}-concurrency`}
        label="Concurrency"
        errors={errors?.concurrency}
        hint="Workspaces reprovisioned at once on this host (1–32)"
      >
        {(control) => (
          <Input
            {...control}
            name="concurrency"
            type="number"
            min={1}
            max={32}
            defaultValue={initial?.concurrency ?? 4}
          />
        )}
      </Field>
      {(["tlsCa", "tlsCert", "tlsKey"] as const).map((field) => (
        <Field
          key={field}
          id={`${id}-${field}`}
          label={
            {
              tlsCa: "TLS CA certificate (PEM)",
              tlsCert: "TLS client certificate (PEM)",
              tlsKey: "TLS client key (PEM)",
            }[field]
          }
          errors={errors?.[field]}
          hint={
            initial?.tls
              ? "Stored, encrypted; leave blank to keep it"
              : "For tcp:// engines with --tlsverify; stored encrypted"
          }
        >
          {(control) => (
            <Textarea
              {...control}
              name={field}
              rows={3}
              className="font-mono text-xs"
              spellCheck={false}
              autoComplete="off"
            />
          )}
        </Field>
      ))}
      {initial?.tls && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="removeTls" /> Remove the stored TLS material
        </label>
      )}
      <div className="flex items-center gap-3 md:col-span-2">
        <SubmitButton pendingLabel="Saving…" testId={`${id}-save`}>
          {initial ? "Save" : "Add host"}
        </SubmitButton>
        <FormMessage state={state} success={initial ? "Saved." : "Host added."} testId={`${id}-message`} />
      </div>
    </form>
  );
}
