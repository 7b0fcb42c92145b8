"use client";

import type { ReactNode } from "react";

import { Field, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/util/action-result";

/**
 * The end of every reprovision confirm form: the optional reason for the audit log, the action's
 * failure, and the confirm button (`children` is its label). The caller keeps the reason's state,
 * so what was typed survives the dialog closing and opening again (the dialog unmounts its body).
 */
export function ReasonAndConfirm({
  testId,
  state,
  reason,
  onReasonChange,
  placeholder,
  children,
}: {
  testId: string;
  state: ActionResult<unknown> | null;
  reason: string;
  onReasonChange: (reason: string) => void;
  placeholder: string;
  children: ReactNode;
}) {
  const failed = state && !state.ok ? state : null;
  return (
    <>
      <Field id={`${testId}-reason`} label="Reason (optional)" errors={failed?.fieldErrors?.reason}>
        {(control) => (
          <Textarea
            {...control}
            name="reason"
            value={reason}
            onChange={(event) => onReasonChange(event.target.value)}
            maxLength={500}
            placeholder={placeholder}
          />
        )}
      </Field>
      <FormMessage state={failed} />
      <div className="flex justify-end">
        <SubmitButton pendingLabel="Queuing…" testId={`${testId}-confirm`}>
          {children}
        </SubmitButton>
      </div>
    </>
  );
}
