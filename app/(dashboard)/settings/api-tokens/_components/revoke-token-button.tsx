"use client";

import { revokeApiTokenAction } from "@/app/(dashboard)/settings/api-tokens/actions";
import { RowActionButton } from "@/components/ui/row-action-button";

/** Revokes one token; its next API call is refused (401). */
export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <RowActionButton
      action={revokeApiTokenAction}
      name="tokenId"
      value={tokenId}
      className="flex items-center justify-end gap-2"
      pendingLabel="Revoking…"
      testId={`revoke-token-${name}`}
    >
      Revoke
    </RowActionButton>
  );
}
