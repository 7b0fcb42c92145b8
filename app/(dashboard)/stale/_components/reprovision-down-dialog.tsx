"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";

import { reprovisionDownAction } from "@/app/(dashboard)/stale/actions";
import { ReasonAndConfirm } from "@/components/operations/reason-and-confirm";
import { BulkPreviewView } from "@/components/operations/reprovision-preview-view";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { useActionOutcome } from "@/components/ui/use-action-outcome";

/**
 * "Reprovision down": recreates the containers of every workspace seen down (of all
 * templates, or of one picked here) as one background operation, and opens its page.
 */
export function ReprovisionDownDialog({
  counts,
  testId = "reprovision-down",
}: {
  counts: { template: string; down: number }[];
  testId?: string;
}) {
  const router = useRouter();
  const [state, formAction] = useActionState(reprovisionDownAction, null);
  const [reason, setReason] = useState("");
  const [template, setTemplate] = useState("");
  useActionOutcome(state, ({ operationId }) => router.push(`/operations/${operationId}`));
  const total = counts.reduce((sum, row) => sum + row.down, 0);
  const chosen = template ? (counts.find((row) => row.template === template)?.down ?? 0) : total;
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  return (
    <Dialog
      trigger={{ label: `Reprovision down (${total})`, variant: "secondary", size: "md", testId }}
      title="Reprovision down workspaces"
      description={`Recreates the containers of workspaces whose container is not running although it should (${total} now), on their template's pinned image, a few at a time. Volumes are kept. You can cancel while it runs.`}
    >
      <form action={formAction} className="space-y-3" data-testid={`${testId}-form`} noValidate>
        <Field id={`${testId}-template`} label="Templates" errors={errors?.template}>
          {(control) => (
            <Select {...control} name="template" value={template} onChange={(event) => setTemplate(event.target.value)}>
              <option value="">All templates ({total})</option>
              {counts.map((row) => (
                <option key={row.template} value={row.template}>
                  {row.template} ({row.down})
                </option>
              ))}
            </Select>
          )}
        </Field>
        <BulkPreviewView scope="down" template={template || undefined} />
        <ReasonAndConfirm
          testId={testId}
          state={state}
          reason={reason}
          onReasonChange={setReason}
          placeholder="e.g. host rebooted"
        >
          Reprovision {chosen} down workspace{chosen === 1 ? "" : "s"}
        </ReasonAndConfirm>
      </form>
    </Dialog>
  );
}
