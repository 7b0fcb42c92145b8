"use client";

import { useActionState } from "react";

import { cancelOperationAction } from "@/app/(dashboard)/operations/[id]/actions";
import { SubmitButton } from "@/components/ui/submit-button";

/** Requests cancellation; items already running finish, queued ones become cancelled. */
export function CancelOperationButton({ operationId }: { operationId: string }) {
  const [state, formAction] = useActionState(cancelOperationAction, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="operationId" value={operationId} />
      {state && !state.ok && (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      )}
      {state?.ok ? (
        <p role="status" className="text-xs text-amber-700">
          Cancel requested — running items finish first.
        </p>
      ) : (
        <SubmitButton variant="danger" size="sm" pendingLabel="Cancelling…" testId="cancel-operation">
          Cancel operation
        </SubmitButton>
      )}
    </form>
  );
}
