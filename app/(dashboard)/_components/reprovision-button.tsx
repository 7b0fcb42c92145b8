"use client";

import { useActionState, useState } from "react";

import { reprovisionWorkspaceAction } from "@/app/(dashboard)/workspaces/actions";
import { OperationTracker } from "@/components/operations/operation-tracker";
import { ReasonAndConfirm } from "@/components/operations/reason-and-confirm";
import { ReprovisionPreviewView } from "@/components/operations/reprovision-preview-view";
import { Dialog } from "@/components/ui/dialog";

/**
 * One-click reprovision of one workspace, behind a confirm: the dialog names the workspace
 * and shows what changes (image and digest now → after; nothing else), with an optional
 * reason for the audit log. The action only enqueues; the row then follows the operation
 * live (the page refreshes when it ends), and offers the button again once it is over.
 */
export function ReprovisionButton({
  workspaceId,
  workspaceName,
  disabled,
}: {
  workspaceId: string;
  workspaceName: string;
  disabled?: boolean;
}) {
  const [state, formAction] = useActionState(reprovisionWorkspaceAction, null);
  const [finished, setFinished] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const operationId = state?.ok ? state.data.operationId : null;
  const running = operationId !== null && finished !== operationId;
  const testId = `reprovision-${workspaceId}`;

  return (
    <div className="flex flex-col items-end gap-1.5">
      {operationId && (
        <OperationTracker key={operationId} operationId={operationId} onTerminal={() => setFinished(operationId)} />
      )}
      {/* Queuing unmounts the dialog (it closes); it comes back, closed, once the run is over. */}
      {!running && (
        <Dialog
          trigger={{
            label: (
              <>
                <span aria-hidden>↻</span> Reprovision<span className="sr-only"> {workspaceName}</span>
              </>
            ),
            variant: "secondary",
            size: "sm",
            testId,
            disabled,
          }}
          title={`Reprovision ${workspaceName}?`}
          description="This stops the customer's container and starts a new one from the image below."
          testId={`${testId}-dialog`}
        >
          <div className="space-y-4">
            <ReprovisionPreviewView workspaceId={workspaceId} />
            <form action={formAction} className="space-y-3" noValidate>
              <input type="hidden" name="workspaceId" value={workspaceId} />
              <ReasonAndConfirm
                testId={testId}
                state={state}
                reason={reason}
                onReasonChange={setReason}
                placeholder="e.g. customer reported a crash loop"
              >
                Reprovision {workspaceName}
              </ReasonAndConfirm>
            </form>
          </div>
        </Dialog>
      )}
    </div>
  );
}
