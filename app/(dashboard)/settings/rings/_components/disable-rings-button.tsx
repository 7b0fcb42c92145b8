"use client";

import { useActionState } from "react";

import { disableRingsAction } from "@/app/(dashboard)/settings/rings/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Back to no rings: the next promote moves the whole pin at once, as before rings existed. */
export function DisableRingsButton() {
  const [state, action] = useActionState(disableRingsAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <SubmitButton variant="danger" size="sm" pendingLabel="Disabling…" testId="rings-disable">
        Disable rings
      </SubmitButton>
      <FormMessage state={state} success="Rings disabled." />
    </form>
  );
}
