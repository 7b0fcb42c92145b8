"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";

import { retryFailedAction } from "@/app/(dashboard)/operations/[id]/actions";
import { ReasonAndConfirm } from "@/components/operations/reason-and-confirm";
import { Dialog } from "@/components/ui/dialog";
import { useActionOutcome } from "@/components/ui/use-action-outcome";

/**
 * "Retry failed": after a confirm (with an optional reason), reprovisions exactly the
 * failed workspaces of a finished operation as a new operation, and opens it.
 */
export function RetryFailedButton({
  operationId,
  failed,
  size = "sm",
}: {
  operationId: string;
  failed: number;
  size?: "sm" | "md";
}) {
  const router = useRouter();
  const [state, formAction] = useActionState(retryFailedAction, null);
  const [reason, setReason] = useState("");
  useActionOutcome(state, (data) => router.push(`/operations/${data.operationId}`));
  const testId = `retry-failed-${operationId}`;
  const workspaces = `${failed} failed workspace${failed === 1 ? "" : "s"}`;

  return (
    <Dialog
      trigger={{ label: `Retry failed (${failed})`, variant: "secondary", size, testId }}
      title={`Retry the ${workspaces}`}
      description={`Reprovisions the ${workspaces} of this operation again, as a new operation linked to this one. Workspaces another operation is already working on are skipped.`}
    >
      <form action={formAction} className="space-y-3" data-testid={`${testId}-form`} noValidate>
        <input type="hidden" name="operationId" value={operationId} />
        <ReasonAndConfirm
          testId={testId}
          state={state}
          reason={reason}
          onReasonChange={setReason}
          placeholder="e.g. registry is back"
        >
          Retry {workspaces}
        </ReasonAndConfirm>
      </form>
    </Dialog>
  );
}
