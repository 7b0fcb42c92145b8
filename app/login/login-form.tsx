"use client";

import { useActionState } from "react";

import { Field, Input } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

import { signInAction } from "./actions";

/** Email + password form; errors are announced and the email survives a failed attempt. */
export function LoginForm({ next, signedOut }: { next: string; signedOut: boolean }) {
  const [state, formAction] = useActionState(signInAction, null);
  const notice = state ? null : signedOut ? "You have signed out." : null;

  return (
    <form action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <div aria-live="polite">
        {state && (
          <p
            role="alert"
            data-testid="login-error"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {state.message}
          </p>
        )}
        {notice && (
          <p
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
          >
            {notice}
          </p>
        )}
      </div>
      <Field id="email" label="Email" errors={state?.fieldErrors?.email}>
        {(control) => (
          <Input
            {...control}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            required
            spellCheck={false}
            defaultValue={state?.email ?? ""}
          />
        )}
      </Field>
      <Field id="password" label="Password" errors={state?.fieldErrors?.password}>
        {(control) => <Input {...control} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      <div className="pt-1 [&>button]:w-full">
        <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
      </div>
    </form>
  );
}
