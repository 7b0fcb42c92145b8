"use client";

import { useActionState, useState } from "react";

import { createApiTokenAction } from "@/app/(dashboard)/settings/api-tokens/actions";
import { Field, Input, Select } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

const LIFETIMES = [
  { value: "", label: "Never expires" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
  { value: "365d", label: "1 year" },
];

/**
 * Creates a token and shows it once, with the warning that it will not be shown again. Inputs
 * are controlled so a refused submit keeps what the operator typed.
 */
export function CreateTokenForm() {
  const [state, formAction] = useActionState(createApiTokenAction, null);
  const [name, setName] = useState("");
  const [role, setRole] = useState("operator");
  const [expiresIn, setExpiresIn] = useState("90d");
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <div className="space-y-3">
      <form
        action={formAction}
        className="grid gap-3 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-start"
        data-testid="create-token-form"
        noValidate
      >
        <Field id="token-name" label="Name" errors={errors?.name} hint="Shown in the audit log as token:<name>.">
          {(control) => (
            <Input
              {...control}
              name="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="ci"
              autoComplete="off"
              maxLength={64}
              required
            />
          )}
        </Field>
        <Field id="token-role" label="Role" errors={errors?.role}>
          {(control) => (
            <Select {...control} name="role" value={role} onChange={(event) => setRole(event.target.value)}>
              <option value="operator">operator</option>
              <option value="viewer">viewer (read only)</option>
            </Select>
          )}
        </Field>
        <Field id="token-expires" label="Expires" errors={errors?.expiresIn}>
          {(control) => (
            <Select
              {...control}
              name="expiresIn"
              value={expiresIn}
              onChange={(event) => setExpiresIn(event.target.value)}
            >
              {LIFETIMES.map((lifetime) => (
                <option key={lifetime.value} value={lifetime.value}>
                  {lifetime.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="sm:pt-5">
          <SubmitButton variant="primary" pendingLabel="Creating…" testId="create-token-submit">
            Create token
          </SubmitButton>
        </div>
      </form>
      <FormMessage state={state && !state.ok ? state : null} testId="create-token-message" />
      {state?.ok && (
        <div
          role="status"
          className="space-y-1 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
          data-testid="new-token"
        >
          <p>
            Token <strong>{state.data.name}</strong> ({state.data.role}) created. Copy it now: it is shown only this
            once.
          </p>
          <code
            className="block select-all break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900"
            data-testid="new-token-value"
          >
            {state.data.token}
          </code>
        </div>
      )}
    </div>
  );
}
