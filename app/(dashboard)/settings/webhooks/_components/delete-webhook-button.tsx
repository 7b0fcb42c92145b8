"use client";

import { deleteWebhookAction } from "@/app/(dashboard)/settings/webhooks/actions";
import { RowActionButton } from "@/components/ui/row-action-button";

/** Removes an endpoint and its deliveries; pending deliveries are never sent. */
export function DeleteWebhookButton({ endpointId }: { endpointId: string }) {
  return (
    <RowActionButton
      action={deleteWebhookAction}
      name="endpointId"
      value={endpointId}
      className="inline-flex items-center gap-2"
      pendingLabel="Deleting…"
      testId={`delete-webhook-${endpointId}`}
    >
      Delete
    </RowActionButton>
  );
}
