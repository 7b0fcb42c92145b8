"use client";

import { Field, Input } from "@/components/ui/field";
import type { RingDraft } from "@/lib/schemas/ring-form";

type Errors = Record<string, string[] | undefined>;

/**
 * The inputs of one ring in the editor. Error keys are the API's field names under the ring
 * (`bake_seconds`, `selector.percent`, …), so a message from the server lands on its field.
 */
export function RingFields({
  index,
  draft,
  last,
  errors,
  onChange,
}: {
  index: number;
  draft: RingDraft;
  last: boolean;
  errors: Errors;
  onChange: (change: Partial<RingDraft>) => void;
}) {
  const id = (field: string) => `ring-${index}-${field}`;
  const selectorErrors = (field: string) => [
    ...(errors[`selector.${field}`] ?? []),
    ...(field === "percent" ? (errors.selector ?? []) : []),
  ];
  return (
    <div className="grid gap-3 md:grid-cols-4">
      <Field id={id("name")} label="Name" errors={errors.name}>
        {(control) => (
          <Input
            {...control}
            value={draft.name}
            onChange={(e) => onChange({ name: e.target.value })}
            autoComplete="off"
          />
        )}
      </Field>
      <Field
        id={id("bake")}
        label="Bake (seconds)"
        errors={errors.bake_seconds}
        hint="Healthy this long after its last reprovision"
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            min={0}
            value={draft.bakeSeconds}
            onChange={(e) => onChange({ bakeSeconds: e.target.value })}
          />
        )}
      </Field>
      <Field
        id={id("budget")}
        label="Failure budget"
        errors={errors.failure_budget}
        hint="Failing workspaces tolerated"
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            min={0}
            value={draft.failureBudget}
            onChange={(e) => onChange({ failureBudget: e.target.value })}
          />
        )}
      </Field>
      <Field
        id={id("unavailable")}
        label="Max unavailable"
        errors={errors.max_unavailable}
        hint="Reprovisioned at once"
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            min={0}
            value={draft.maxUnavailable}
            onChange={(e) => onChange({ maxUnavailable: e.target.value })}
          />
        )}
      </Field>
      <label className="flex items-center gap-2 text-sm text-slate-700 md:col-span-4">
        <input
          type="checkbox"
          checked={draft.autoAdvance}
          onChange={(e) => onChange({ autoAdvance: e.target.checked })}
          data-testid={id("auto-advance")}
        />
        Advances by itself after a good bake (otherwise waits for an operator&apos;s Advance)
      </label>
      <Field
        id={id("probe-path")}
        label="HTTP probe path"
        errors={errors["probe.path"]}
        hint="Optional, e.g. /health, through the published port"
      >
        {(control) => (
          <Input
            {...control}
            value={draft.probePath}
            onChange={(e) => onChange({ probePath: e.target.value })}
            autoComplete="off"
          />
        )}
      </Field>
      <Field
        id={id("probe-status")}
        label="Probe status"
        errors={errors["probe.expected_status"]}
        hint="Expected answer (default 200)"
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            min={100}
            max={599}
            value={draft.probeStatus}
            onChange={(e) => onChange({ probeStatus: e.target.value })}
          />
        )}
      </Field>
      {!last && (
        <>
          <Field
            id={id("workspaces")}
            label="Workspace ids"
            errors={selectorErrors("workspace_ids")}
            hint="Explicit members, comma separated"
          >
            {(control) => (
              <Input
                {...control}
                value={draft.workspaceIds}
                onChange={(e) => onChange({ workspaceIds: e.target.value })}
                className="font-mono text-xs"
                autoComplete="off"
              />
            )}
          </Field>
          <Field
            id={id("labels")}
            label="Labels"
            errors={selectorErrors("labels")}
            hint="Container or host labels: molecule.ring=canary, region=eu"
          >
            {(control) => (
              <Input
                {...control}
                value={draft.labels}
                onChange={(e) => onChange({ labels: e.target.value })}
                autoComplete="off"
              />
            )}
          </Field>
          <Field
            id={id("percent")}
            label="Percent of the fleet"
            errors={selectorErrors("percent")}
            hint="Stable: a hash of the workspace id"
          >
            {(control) => (
              <Input
                {...control}
                type="number"
                min={0}
                max={100}
                step="any"
                value={draft.percent}
                onChange={(e) => onChange({ percent: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
    </div>
  );
}
