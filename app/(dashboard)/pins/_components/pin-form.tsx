"use client";

import { useActionState, useState, type ReactNode } from "react";

import type { ButtonVariant } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import type { PinChange } from "@/lib/db/pins";
import type { ActionResult } from "@/lib/util/action-result";

type FieldErrors = Record<string, string[]> | undefined;

/**
 * What every pin change form (promote, rollback, unpin) shares. The template
 * and the digest the page showed travel as hidden fields, so a concurrent
 * change is refused, never overwritten. The reason is controlled so a failed
 * submit never loses what the operator typed. `children` renders the form's
 * own fields (before the reason) with the field errors of the last submit.
 */
export function PinForm({
  kind,
  templateName,
  expectedDigest,
  action,
  onDone,
  reasonPlaceholder,
  submit,
  children,
}: {
  kind: "promote" | "rollback" | "unpin";
  templateName: string;
  /** "" = the page showed the template unpinned. */
  expectedDigest: string;
  action: (prev: ActionResult<PinChange> | null, formData: FormData) => Promise<ActionResult<PinChange>>;
  onDone: (change: PinChange) => void;
  reasonPlaceholder: string;
  submit: { label: string; pending: string; variant?: ButtonVariant };
  children?: (errors: FieldErrors) => ReactNode;
}) {
  const [state, formAction] = useActionState(action, null);
  const [reason, setReason] = useState("");
  useActionOutcome(state, onDone);
  const errors: FieldErrors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <form action={formAction} className="space-y-3" data-testid={`${kind}-form-${templateName}`} noValidate>
      <input type="hidden" name="templateName" value={templateName} />
      <input type="hidden" name="expectedDigest" value={expectedDigest} />
      {children?.(errors)}
      <Field id={`${kind}-${templateName}-reason`} label="Reason" errors={errors?.reason}>
        {(control) => (
          <Textarea
            {...control}
            name="reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder={reasonPlaceholder}
            maxLength={500}
            required
          />
        )}
      </Field>
      <FormMessage state={state && !state.ok ? state : null} testId={`${kind}-message`} />
      <div className="flex justify-end">
        <SubmitButton variant={submit.variant} pendingLabel={submit.pending} testId={`${kind}-submit-${templateName}`}>
          {submit.label}
        </SubmitButton>
      </div>
    </form>
  );
}
