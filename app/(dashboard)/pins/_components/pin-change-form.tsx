"use client";

import { rollbackPinAction, unpinTemplateAction } from "@/app/(dashboard)/pins/actions";
import type { PinChange } from "@/lib/db/pins";

import { PinForm } from "./pin-form";

const KINDS = {
  rollback: { action: rollbackPinAction, submit: { label: "Roll back", pending: "Rolling back…", variant: "primary" } },
  unpin: { action: unpinTemplateAction, submit: { label: "Unpin", pending: "Unpinning…", variant: "danger" } },
} as const;

/**
 * Rollback or unpin form: only a reason to type; the digest being replaced
 * travels along so a concurrent change is refused, never overwritten.
 */
export function PinChangeForm({
  kind,
  templateName,
  currentDigest,
  onDone,
}: {
  kind: keyof typeof KINDS;
  templateName: string;
  currentDigest: string;
  onDone: (change: PinChange) => void;
}) {
  const config = KINDS[kind];
  return (
    <PinForm
      kind={kind}
      templateName={templateName}
      expectedDigest={currentDigest}
      action={config.action}
      onDone={onDone}
      reasonPlaceholder="Why? (goes into the audit log)"
      submit={config.submit}
    />
  );
}
