"use client";

import { DigestText } from "@/components/ui/digest-text";
import type { BulkReprovisionPreview, PreviewTarget, ReprovisionPreview } from "@/lib/domain/reprovision-preview";

import { useReprovisionPreview } from "./use-reprovision-preview";

function Loading({ problem }: { problem: string | null }) {
  if (problem) {
    return (
      <p
        role="alert"
        className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800"
        data-testid="reprovision-preview-problem"
      >
        {problem}
      </p>
    );
  }
  return (
    <p className="text-sm text-slate-500" aria-busy="true">
      Working out what will change…
    </p>
  );
}

function Target({ target, testId }: { target: PreviewTarget; testId: string }) {
  return (
    <div className="min-w-0 space-y-0.5">
      <p className="break-all font-mono text-xs text-slate-700">{target.ref}</p>
      <DigestText digest={target.digest} empty="digest known after the pull" testId={testId} />
      {target.note && <p className="text-xs text-amber-800">{target.note}</p>}
    </div>
  );
}

/** What one-click reprovision of a workspace changes: image and digest now → after, and that nothing else does. */
export function ReprovisionPreviewView({ workspaceId }: { workspaceId: string }) {
  const { preview, problem } = useReprovisionPreview<ReprovisionPreview>(
    `workspace=${encodeURIComponent(workspaceId)}`,
  );
  if (!preview) return <Loading problem={problem} />;
  return (
    <div className="space-y-3 text-sm" data-testid="reprovision-preview">
      <dl className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-2">
        <dt className="text-slate-500">Now</dt>
        <dd className="min-w-0 space-y-0.5">
          <p className="break-all font-mono text-xs text-slate-700">{preview.current.image ?? "image not known"}</p>
          <DigestText digest={preview.current.digest} empty="digest not known" testId="preview-current-digest" />
        </dd>
        <dt className="text-slate-500">After</dt>
        <dd>
          {preview.target ? (
            <Target target={preview.target} testId="preview-target-digest" />
          ) : (
            <span className="text-red-700">no target image</span>
          )}
        </dd>
      </dl>
      {preview.digestChanges === false && (
        <p className="text-slate-600">It already runs this digest: the container is only recreated.</p>
      )}
      {preview.problem && <p className="text-red-700">{preview.problem}</p>}
      {preview.busyOperationId && (
        <p className="text-amber-800">
          Another operation already has this workspace queued or running; it would be refused.
        </p>
      )}
      <p className="text-slate-600">{preview.unchanged}</p>
    </div>
  );
}

/** What a bulk reprovision changes: how many workspaces, the digests they run now (grouped) and each template's target. */
export function BulkPreviewView({ scope, template }: { scope: "stale" | "down"; template?: string }) {
  const query = `scope=${scope}${template ? `&template=${encodeURIComponent(template)}` : ""}`;
  const { preview, problem } = useReprovisionPreview<BulkReprovisionPreview>(query);
  if (!preview) return <Loading problem={problem} />;
  return (
    <div className="space-y-3 text-sm" data-testid="bulk-reprovision-preview" data-total={preview.total}>
      <p className="text-slate-800">
        {preview.total} workspace{preview.total === 1 ? "" : "s"} change
        {preview.busy > 0 && (
          <span className="text-amber-800"> ({preview.busy} already in another operation will be skipped)</span>
        )}
        .
      </p>
      {preview.templates.map((entry) => (
        <div
          key={entry.template}
          className="rounded-md border border-slate-200 p-3"
          data-testid={`bulk-preview-${entry.template}`}
        >
          <p className="mb-2 font-medium text-slate-900">
            {entry.template} · {entry.count} workspace{entry.count === 1 ? "" : "s"}
          </p>
          <div className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-2">
            <span className="text-slate-500">Now on</span>
            <ul className="space-y-0.5">
              {entry.current.slice(0, 6).map((group) => (
                <li key={group.digest ?? "unknown"} className="flex items-center gap-2">
                  <DigestText digest={group.digest} empty="digest not known" />
                  <span className="text-xs text-slate-600">× {group.count}</span>
                </li>
              ))}
              {entry.current.length > 6 && (
                <li className="text-xs text-slate-500">…and {entry.current.length - 6} more digests</li>
              )}
            </ul>
            <span className="text-slate-500">Target</span>
            {entry.target ? (
              <Target target={entry.target} testId={`bulk-preview-target-${entry.template}`} />
            ) : (
              <span className="text-red-700">{entry.problem}</span>
            )}
          </div>
        </div>
      ))}
      <p className="text-slate-600">{preview.unchanged}</p>
    </div>
  );
}
