"use client";

import { useActionState } from "react";

import { deleteWebhookAction } from "@/app/(dashboard)/settings/webhooks/actions";
import { SubmitButton } from "@/components/ui/submit-button";

/** Removes an endpoint and its deliveries; pending deliveries are never sent. */
export function DeleteWebhookButton({ endpointId }: { endpointId: string }) {
  const [state, formAction] = useActionState(deleteWebhookAction, null);
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      {state && !state.ok && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
      <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…" testId={`delete-webhook-${endpointId}`}>
        Delete
      </SubmitButton>
    </form>
  );
}
