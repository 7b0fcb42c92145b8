"use client";

import { type ReactNode, useActionState } from "react";

import type { ActionResult } from "@/lib/util/action-result";

import { SubmitButton } from "./submit-button";

/**
 * A one-click danger action on one row of a table or list (revoke a token, delete an endpoint):
 * a form posting `name=value` to the server action, its failure shown beside the button.
 */
export function RowActionButton<T>({
  action,
  name,
  value,
  className,
  pendingLabel,
  testId,
  children,
}: {
  action: (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;
  name: string;
  value: string;
  className: string;
  pendingLabel: string;
  testId: string;
  children: ReactNode;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className={className}>
      <input type="hidden" name={name} value={value} />
      {state && !state.ok && (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      )}
      <SubmitButton variant="danger" size="sm" pendingLabel={pendingLabel} testId={testId}>
        {children}
      </SubmitButton>
    </form>
  );
}
