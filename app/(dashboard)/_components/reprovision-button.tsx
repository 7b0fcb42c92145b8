"use client";

import { useActionState, useState } from "react";

import { OperationTracker } from "@/components/operations/operation-tracker";
import { SubmitButton } from "@/components/ui/submit-button";
import { reprovisionWorkspaceAction } from "../workspaces/actions";

/**
 * One-click reprovision of one workspace. The action only enqueues; the row
 * then follows the operation live, and offers the button again once it is over.
 */
export function ReprovisionButton({ workspaceId, workspaceName, disabled }: { workspaceId: string; workspaceName: string; disabled?: boolean }) {
  const [state, formAction] = useActionState(reprovisionWorkspaceAction, null);
  const [finished, setFinished] = useState<string | null>(null);
  const operationId = state?.ok ? state.data.operationId : null;
  const running = operationId !== null && finished !== operationId;

  return (
    <div className="flex flex-col items-end gap-1.5">
      {operationId && <OperationTracker key={operationId} operationId={operationId} onTerminal={() => setFinished(operationId)} />}
      {!running && (
        <form action={formAction}>
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <SubmitButton size="sm" variant="secondary" pendingLabel="Queuing…" testId={`reprovision-${workspaceId}`} disabled={disabled}>
            <span aria-hidden>↻</span> Reprovision
            <span className="sr-only"> {workspaceName}</span>
          </SubmitButton>
        </form>
      )}
      {state && !state.ok && (
        <p role="alert" className="w-56 text-right text-xs text-red-700">
          {state.message}
        </p>
      )}
    </div>
  );
}
