"use client";

import { useActionState, useState } from "react";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionOutcome } from "@/components/ui/use-action-outcome";
import { blankRingDraft, moveRing, ringsBodyFromDrafts, type RingDraft } from "@/lib/schemas/ring-form";
import type { ActionResult } from "@/lib/util/action-result";

import { RingFields } from "./ring-fields";

/** The save action: form field `body` holds the PUT /api/v1/rings body as JSON. */
export type SaveRingsAction = (
  prev: ActionResult<{ count: number }> | null,
  formData: FormData,
) => Promise<ActionResult<{ count: number }>>;

const MAX_RINGS = 10;

/**
 * Edits the ordered ring list as a whole, the way PUT /api/v1/rings replaces it: add a ring (it goes
 * before the last one, which always holds every workspace no other ring takes), remove, move up and
 * down, then save once. The server validates; its errors come back under the API's dotted names
 * (`rings.0.bake_seconds`) and are shown beside the field they name.
 */
export function RingListEditor({
  initial,
  initialTemplates,
  action,
}: {
  initial: RingDraft[];
  /** The templates the rings apply to, as stored (empty = every template). */
  initialTemplates: string[];
  action: SaveRingsAction;
}) {
  const [drafts, setDrafts] = useState<RingDraft[]>(initial);
  const [templates, setTemplates] = useState(initialTemplates.join(", "));
  const [state, formAction] = useActionState(action, null);
  useActionOutcome(state);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorsOf = (index: number) =>
    Object.fromEntries(
      Object.entries(errors)
        .filter(([key]) => key.startsWith(`rings.${index}.`))
        .map(([key, messages]) => [key.slice(`rings.${index}.`.length), messages]),
    );
  const update = (index: number, change: Partial<RingDraft>) =>
    setDrafts((list) => list.map((draft, at) => (at === index ? { ...draft, ...change } : draft)));

  return (
    <form action={formAction} data-testid="ring-list-editor" className="space-y-3 p-4">
      <input type="hidden" name="body" value={JSON.stringify(ringsBodyFromDrafts(drafts, templates))} />
      <Field
        id="rings-templates"
        label="Templates"
        errors={Object.entries(errors)
          .filter(([key]) => key === "templates" || key.startsWith("templates."))
          .flatMap(([, messages]) => messages)}
        hint="The templates whose promotes roll out ring by ring, comma separated; blank = every template. The others move their pin at once."
      >
        {(control) => (
          <Input {...control} value={templates} onChange={(e) => setTemplates(e.target.value)} autoComplete="off" />
        )}
      </Field>
      <ol className="space-y-3">
        {drafts.map((draft, index) => {
          const last = index === drafts.length - 1;
          return (
            <li key={index} data-testid={`ring-editor-${index}`} className="rounded-md border border-slate-200 p-3">
              <div className="mb-2 flex items-center gap-2">
                <span className="text-sm font-semibold text-slate-900">
                  {index + 1}. {draft.name || "new ring"}
                </span>
                {last && (
                  <span className="text-xs text-slate-500">(last: holds every workspace no other ring takes)</span>
                )}
                <div className="ml-auto flex gap-1">
                  {!last && (
                    <>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Move ${draft.name} up`}
                        disabled={index === 0}
                        onClick={() => setDrafts((list) => moveRing(list, index, -1))}
                      >
                        ↑
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Move ${draft.name} down`}
                        disabled={index >= drafts.length - 2}
                        onClick={() => setDrafts((list) => moveRing(list, index, 1))}
                      >
                        ↓
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        data-testid={`ring-remove-${index}`}
                        onClick={() => setDrafts((list) => list.filter((_, at) => at !== index))}
                      >
                        Remove
                      </Button>
                    </>
                  )}
                </div>
              </div>
              <RingFields
                index={index}
                draft={draft}
                last={last}
                errors={errorsOf(index)}
                onChange={(change) => update(index, change)}
              />
            </li>
          );
        })}
      </ol>
      {errors.rings && (
        <p role="alert" className="text-xs text-red-700">
          {errors.rings.join(" ")}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          size="sm"
          data-testid="ring-add"
          disabled={drafts.length >= MAX_RINGS}
          onClick={() => setDrafts((list) => [...list.slice(0, -1), blankRingDraft(), ...list.slice(-1)])}
        >
          Add ring
        </Button>
        <SubmitButton pendingLabel="Saving…" testId="rings-save">
          Save rings
        </SubmitButton>
        <FormMessage state={state} success="Rings saved. The next promote starts a rollout." testId="rings-message" />
      </div>
    </form>
  );
}
