"use client";

import { Suspense, useState } from "react";

import { promotePinAction } from "@/app/(dashboard)/pins/actions";
import { Field, Input, Textarea } from "@/components/ui/field";
import type { PinChange } from "@/lib/db/pins";
import type { Loaded } from "@/lib/status/load-section";

import { PinForm } from "./pin-form";
import { PromotePreviewView } from "./promote-preview-view";
import { TagChoices } from "./tag-choices";

const SUBMIT = { label: "Promote", pending: "Checking the registry…" };

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
  const [digestOrTag, setDigestOrTag] = useState("");
  const [needsOverride, setNeedsOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState("");

  return (
    <PinForm
      kind="promote"
      templateName={templateName}
      expectedDigest={currentDigest ?? ""}
      action={promotePinAction}
      onDone={onDone}
      reasonPlaceholder="Why this image? (goes into the audit log)"
      submit={SUBMIT}
    >
      {(errors) => (
        <>
          <Field
            id={`promote-${templateName}-digest`}
            label="Digest or tag"
            errors={errors?.digestOrTag}
            hint="A tag is resolved to its digest through the registry; a digest must exist there."
          >
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
          <PromotePreviewView templateName={templateName} digestOrTag={digestOrTag} onCoolDown={setNeedsOverride} />
          {(needsOverride || overrideReason !== "") && (
            <Field
              id={`promote-${templateName}-override`}
              label="Override the cool-down (optional)"
              errors={errors?.coolDownOverrideReason}
              hint="This digest is younger than the template's minimum age. To promote it now anyway, say why; it goes into the audit log."
            >
              {(control) => (
                <Textarea
                  {...control}
                  name="coolDownOverrideReason"
                  value={overrideReason}
                  onChange={(event) => setOverrideReason(event.target.value)}
                  maxLength={500}
                />
              )}
            </Field>
          )}
        </>
      )}
    </PinForm>
  );
}
