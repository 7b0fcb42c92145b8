"use client";

import { useActionState } from "react";

import { revokeApiTokenAction } from "@/app/(dashboard)/settings/api-tokens/actions";
import { SubmitButton } from "@/components/ui/submit-button";

/** Revokes one token; its next API call is refused (401). */
export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, formAction] = useActionState(revokeApiTokenAction, null);
  return (
    <form action={formAction} className="flex items-center justify-end gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      {state && !state.ok && (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      )}
      <SubmitButton variant="danger" size="sm" pendingLabel="Revoking…" testId={`revoke-token-${name}`}>
        Revoke
      </SubmitButton>
    </form>
  );
}
