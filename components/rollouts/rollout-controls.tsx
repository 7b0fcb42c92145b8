"use client";

import { useActionState } from "react";

import { Field, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import type { ActionResult } from "@/lib/util/action-result";

import { controlsFor, type RolloutStatus } from "./types";

/** What a control action answers: the control that ran and the rollout's status after it. */
export type RolloutControlResult = { control: string; status: string };

/** The server action behind the buttons: form fields rolloutId, control (the button pressed) and reason. */
export type RolloutControlAction = (
  prev: ActionResult<RolloutControlResult> | null,
  formData: FormData,
) => Promise<ActionResult<RolloutControlResult>>;

const DONE: Record<string, string> = {
  pause: "Paused.",
  resume: "Resumed.",
  abort: "Aborted: the moved rings go back to the previous digest.",
  advance: "Advancing to the next ring.",
};

/**
 * Pause, resume, abort (= roll every moved ring back) and advance early. One reason field serves all
 * of them because each is audited with it; resume alone may leave it blank. Only the buttons the
 * rollout's status allows are shown; the server checks again and answers a conflict if it moved.
 */
export function RolloutControls({
  rolloutId,
  status,
  action,
}: {
  rolloutId: string;
  status: RolloutStatus;
  action: RolloutControlAction;
}) {
  const [state, formAction] = useActionState(action, null);
  useActionOutcome(state);
  const allowed = controlsFor(status);
  if (!Object.values(allowed).some(Boolean)) {
    return <p className="p-4 text-sm text-slate-500">This rollout has finished; nothing to control.</p>;
  }
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const pressed = (state?.ok && state.data.control) || "";
  return (
    <form action={formAction} className="space-y-3 p-4" data-testid="rollout-controls">
      <input type="hidden" name="rolloutId" value={rolloutId} />
      <Field id="rollout-reason" label="Reason" errors={errors?.reason} hint="Goes into the audit log with the action.">
        {(control) => <Textarea {...control} name="reason" rows={2} placeholder="Why?" />}
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        {allowed.pause && (
          <SubmitButton name="control" value="pause" variant="secondary" size="sm" testId="rollout-pause">
            Pause
          </SubmitButton>
        )}
        {allowed.resume && (
          <SubmitButton name="control" value="resume" variant="secondary" size="sm" testId="rollout-resume">
            Resume
          </SubmitButton>
        )}
        {allowed.advance && (
          <SubmitButton name="control" value="advance" variant="primary" size="sm" testId="rollout-advance">
            Advance now
          </SubmitButton>
        )}
        {allowed.abort && (
          <SubmitButton name="control" value="abort" variant="danger" size="sm" testId="rollout-abort">
            Abort and roll back
          </SubmitButton>
        )}
      </div>
      <FormMessage state={state} success={DONE[pressed] ?? "Done."} testId="rollout-control-message" />
    </form>
  );
}
