"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";

import { syncFromDockerAction } from "@/app/(dashboard)/workspaces/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";

/** Starts a Sync from Docker and opens its operation page to follow it. */
export function SyncButton() {
  const router = useRouter();
  const [state, formAction] = useActionState(syncFromDockerAction, null);
  useActionOutcome(state, ({ operationId }) => router.push(`/operations/${operationId}`));
  return (
    <form action={formAction} className="flex items-center gap-2">
      {state && !state.ok && (
        <p role="alert" className="max-w-80 text-xs text-red-700">
          {state.message}
        </p>
      )}
      <SubmitButton variant="secondary" pendingLabel="Starting sync…" testId="sync-from-docker">
        Sync from Docker
      </SubmitButton>
    </form>
  );
}
