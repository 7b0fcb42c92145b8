"use client";

import { useActionState } from "react";

import { deleteHostAction } from "@/app/(dashboard)/settings/hosts/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Unregisters a host; the server refuses while workspaces are on it, and says so here. */
export function DeleteHostButton({ name }: { name: string }) {
  const [state, action] = useActionState(deleteHostAction, null);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="name" value={name} />
      <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…" testId={`host-${name}-delete`}>
        Delete
      </SubmitButton>
      <FormMessage state={state} success="Deleted." />
    </form>
  );
}
