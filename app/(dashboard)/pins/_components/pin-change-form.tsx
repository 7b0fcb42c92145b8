"use client";

import { useActionState, useState } from "react";

import { Field, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import type { PinChange } from "@/lib/db/pins";
import { rollbackPinAction, unpinTemplateAction } from "../actions";

const KINDS = {
  rollback: { action: rollbackPinAction, submit: "Roll back", pending: "Rolling back…", variant: "primary" },
  unpin: { action: unpinTemplateAction, submit: "Unpin", pending: "Unpinning…", variant: "danger" },
} as const;

/**
 * Rollback or unpin form: only a reason to type; the digest being replaced
 * travels along so a concurrent change is refused, never overwritten.
 */
export function PinChangeForm({
  kind,
  templateName,
  currentDigest,
  onDone,
}: {
  kind: keyof typeof KINDS;
  templateName: string;
  currentDigest: string;
  onDone: (change: PinChange) => void;
}) {
  const config = KINDS[kind];
  const [state, formAction] = useActionState(config.action, null);
  const [reason, setReason] = useState("");
  useActionOutcome(state, onDone);
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <form action={formAction} className="space-y-3" data-testid={`${kind}-form-${templateName}`} noValidate>
      <input type="hidden" name="templateName" value={templateName} />
      <input type="hidden" name="expectedDigest" value={currentDigest} />
      <Field id={`${kind}-${templateName}-reason`} label="Reason" errors={errors?.reason}>
        {(control) => (
          <Textarea
            {...control}
            name="reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Why? (goes into the audit log)"
            maxLength={500}
            required
          />
        )}
      </Field>
      <FormMessage state={state && !state.ok ? state : null} testId={`${kind}-message`} />
      <div className="flex justify-end">
        <SubmitButton variant={config.variant} pendingLabel={config.pending} testId={`${kind}-submit-${templateName}`}>
          {config.submit}
        </SubmitButton>
      </div>
    </form>
  );
}
