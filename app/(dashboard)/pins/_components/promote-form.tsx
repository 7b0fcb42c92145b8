"use client";

import { Suspense, useActionState, useState } from "react";

import { Field, Input, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import type { PinChange } from "@/lib/db/pins";
import type { Loaded } from "@/lib/status/load-section";
import { promotePinAction } from "../actions";
import { TagChoices } from "./tag-choices";

/**
 * Promote form for one template. The hidden expectedDigest is the pin this
 * page showed: if someone changed it meanwhile the server answers with a
 * conflict instead of overwriting their change. Inputs are controlled so a
 * failed submit never loses what the operator typed.
 */
export function PromoteForm({
  templateName,
  currentDigest,
  tags,
  onDone,
}: {
  templateName: string;
  currentDigest: string | null;
  tags: Promise<Loaded<string[]>>;
  onDone: (change: PinChange) => void;
}) {
  const [state, formAction] = useActionState(promotePinAction, null);
  const [digestOrTag, setDigestOrTag] = useState("");
  const [reason, setReason] = useState("");
  useActionOutcome(state, onDone);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const id = (field: string) => `promote-${templateName}-${field}`;

  return (
    <form action={formAction} className="space-y-3" data-testid={`promote-form-${templateName}`} noValidate>
      <input type="hidden" name="templateName" value={templateName} />
      <input type="hidden" name="expectedDigest" value={currentDigest ?? ""} />
      <Field id={id("digest")} label="Digest or tag" errors={errors?.digestOrTag} hint="A tag is resolved to its digest through the registry; a digest must exist there.">
        {(control) => (
          <Input
            {...control}
            name="digestOrTag"
            value={digestOrTag}
            onChange={(event) => setDigestOrTag(event.target.value)}
            placeholder="sha256:… or v1.4.2"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            required
          />
        )}
      </Field>
      <Suspense fallback={<p className="text-xs text-slate-500">Loading tags from the registry…</p>}>
        <TagChoices tags={tags} selected={digestOrTag} onPick={setDigestOrTag} />
      </Suspense>
      <Field id={id("reason")} label="Reason" errors={errors?.reason}>
        {(control) => (
          <Textarea
            {...control}
            name="reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Why this image? (goes into the audit log)"
            maxLength={500}
            required
          />
        )}
      </Field>
      <FormMessage state={state && !state.ok ? state : null} testId="promote-message" />
      <div className="flex justify-end">
        <SubmitButton pendingLabel="Checking the registry…" testId={`promote-submit-${templateName}`}>
          Promote
        </SubmitButton>
      </div>
    </form>
  );
}
