"use client";

import { useActionState } from "react";

import { OperationTracker } from "@/components/operations/operation-tracker";
import { SubmitButton } from "@/components/ui/submit-button";
import { reprovisionWorkspaceAction } from "../workspaces/actions";

/**
 * One-click reprovision of one workspace. The action only enqueues; the row
 * then follows the operation live until it finishes.
 */
export function ReprovisionButton({ workspaceId, workspaceName, disabled }: { workspaceId: string; workspaceName: string; disabled?: boolean }) {
  const [state, formAction] = useActionState(reprovisionWorkspaceAction, null);
  if (state?.ok) return <OperationTracker key={state.data.operationId} operationId={state.data.operationId} />;
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <SubmitButton
        size="sm"
        variant="secondary"
        pendingLabel="Queuing…"
        testId={`reprovision-${workspaceId}`}
        disabled={disabled}
      >
        <span aria-hidden>↻</span> Reprovision<span className="sr-only"> {workspaceName}</span>
      </SubmitButton>
      {state && !state.ok && (
        <p role="alert" className="max-w-56 text-right text-xs text-red-700">
          {state.message}
        </p>
      )}
    </form>
  );
}
