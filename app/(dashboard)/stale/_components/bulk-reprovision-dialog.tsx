"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";

import { reprovisionStaleAction } from "@/app/(dashboard)/stale/actions";
import { ReasonAndConfirm } from "@/components/operations/reason-and-confirm";
import { BulkPreviewView } from "@/components/operations/reprovision-preview-view";
import { Dialog } from "@/components/ui/dialog";
import { useActionOutcome } from "@/components/ui/use-action-outcome";

/**
 * "Reprovision all stale" (of one template, or of all): shows what changes (how many
 * workspaces, the digests they run now and the target), confirms with an optional
 * reason, enqueues one background operation and opens its page, where progress,
 * per-workspace results, failures and Cancel live.
 */
export function BulkReprovisionDialog({
  template,
  staleCount,
  testId,
}: {
  template?: string;
  staleCount: number;
  testId: string;
}) {
  const router = useRouter();
  const [state, formAction] = useActionState(reprovisionStaleAction, null);
  const [reason, setReason] = useState("");
  useActionOutcome(state, ({ operationId }) => router.push(`/operations/${operationId}`));
  const scope = template ? `${template} workspaces` : "workspaces of every template";

  return (
    <Dialog
      trigger={{
        label: template ? `Reprovision ${staleCount} stale` : `Reprovision all stale (${staleCount})`,
        variant: template ? "secondary" : "primary",
        size: template ? "sm" : "md",
        testId,
      }}
      title={template ? `Reprovision stale ${template} workspaces` : "Reprovision all stale workspaces"}
      description={`Recreates the containers of the ${staleCount} stale ${scope} on their pinned digest, a few at a time. Volumes are kept. You can cancel while it runs.`}
    >
      <form action={formAction} className="space-y-3" data-testid={`${testId}-form`} noValidate>
        <BulkPreviewView scope="stale" template={template} />
        <input type="hidden" name="template" value={template ?? ""} />
        <ReasonAndConfirm
          testId={testId}
          state={state}
          reason={reason}
          onReasonChange={setReason}
          placeholder="e.g. roll out the CVE fix"
        >
          Start reprovisioning
        </ReasonAndConfirm>
      </form>
    </Dialog>
  );
}
