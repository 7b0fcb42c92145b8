"use client";

import { useActionState, useState } from "react";

import { liftQuarantineAction } from "@/app/(dashboard)/pins/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Lift a digest's quarantine: a reason is required and goes into the audit log. */
export function LiftQuarantineForm({ templateName, digest }: { templateName: string; digest: string }) {
  const [state, formAction] = useActionState(liftQuarantineAction, null);
  const [reason, setReason] = useState("");
  if (state?.ok) return <p className="mt-1 text-emerald-700">Quarantine lifted.</p>;
  return (
    <form action={formAction} className="mt-1.5 flex flex-col gap-1" data-testid="lift-quarantine-form" noValidate>
      <input type="hidden" name="templateName" value={templateName} />
      <input type="hidden" name="digest" value={digest} />
      <label className="sr-only" htmlFor={`lift-${digest}`}>
        Why lift the quarantine?
      </label>
      <input
        id={`lift-${digest}`}
        name="reason"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        placeholder="Why is it safe again?"
        maxLength={500}
        className="rounded border border-slate-300 px-2 py-1 text-xs text-slate-900"
        required
      />
      <FormMessage state={state && !state.ok ? state : null} testId="lift-quarantine-message" />
      <SubmitButton variant="secondary" pendingLabel="Lifting…" testId={`lift-quarantine-${digest}`}>
        Lift quarantine
      </SubmitButton>
    </form>
  );
}
