"use client";

import { useActionState } from "react";

import { addToRingAction } from "@/app/(dashboard)/workspaces/actions";
import { Select } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { ADD_TO_RING_FORM_ID, NO_EXPLICIT_RING } from "@/lib/schemas/rollout-actions";

/**
 * Bulk "Add to ring": the rows' checkboxes belong to this form (their form attribute), so the
 * selection travels with the chosen ring. Only rings before the last are offered: the last one
 * holds whatever no other ring takes and has no member list.
 */
export function AddToRingForm({ ringNames }: { ringNames: string[] }) {
  const [state, action] = useActionState(addToRingAction, null);
  const joinable = ringNames.slice(0, -1);
  return (
    <form
      id={ADD_TO_RING_FORM_ID}
      action={action}
      className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2"
      data-testid="add-to-ring-form"
    >
      <label className="flex items-center gap-2 text-xs font-medium text-slate-700">
        Selected workspaces:
        <Select name="ring" defaultValue={joinable[0] ?? ""} className="w-52" aria-label="Ring">
          {joinable.map((name) => (
            <option key={name} value={name}>
              add to ring {name}
            </option>
          ))}
          <option value={NO_EXPLICIT_RING}>no explicit ring (labels and percent decide)</option>
        </Select>
      </label>
      <SubmitButton size="sm" variant="secondary" pendingLabel="Saving…" testId="add-to-ring">
        Apply
      </SubmitButton>
      <FormMessage
        state={state}
        success={state?.ok ? `${state.data.count} workspace(s) updated.` : undefined}
        testId="add-to-ring-message"
      />
    </form>
  );
}
