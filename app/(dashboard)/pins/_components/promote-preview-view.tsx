"use client";

import { useEffect, useState } from "react";

import { Banner } from "@/components/ui/banner";
import { DigestText } from "@/components/ui/digest-text";
import { formatDuration } from "@/lib/ledger/cool-down";
import { formatBytes, formatSizeDelta } from "@/lib/ledger/format-size";
import type { PromotePreview } from "@/lib/pins/promote-preview";

import { DigestStateBadge } from "./digest-state-badge";

/** PromotePreview as JSON: dates are ISO strings. */
type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;
type PreviewJson = Json<PromotePreview>;
type Side = NonNullable<PreviewJson["from"]>;

/**
 * Loads `/api/promote-preview` for what the operator typed (after a short pause in typing) and shows
 * from → to; tells the form whether the cool-down needs an override.
 */
export function PromotePreviewView({
  templateName,
  digestOrTag,
  onCoolDown,
}: {
  templateName: string;
  digestOrTag: string;
  onCoolDown: (needsOverride: boolean) => void;
}) {
  const [state, setState] = useState<{ key: string; preview?: PreviewJson; error?: string } | null>(null);
  const wanted = digestOrTag.trim();
  useEffect(() => {
    if (wanted === "") return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(
          `/api/promote-preview?${new URLSearchParams({ template: templateName, digestOrTag: wanted })}`,
          { signal: controller.signal },
        );
        const body = await response.json();
        setState(
          response.ok
            ? { key: wanted, preview: body as PreviewJson }
            : { key: wanted, error: String(body.message ?? "The preview failed.") },
        );
        onCoolDown(response.ok ? !(body as PreviewJson).coolDown.satisfied : false);
      } catch {
        if (!controller.signal.aborted) setState({ key: wanted, error: "The preview could not be loaded." });
      }
    }, 400);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [templateName, wanted, onCoolDown]);

  if (wanted === "") return null;
  if (!state || state.key !== wanted) return <p className="text-xs text-slate-500">Loading the preview…</p>;
  if (state.error)
    return (
      <p className="text-xs text-red-700" data-testid="promote-preview-error">
        {state.error}
      </p>
    );
  const preview = state.preview!;
  return (
    <div className="space-y-2 rounded-md border border-slate-200 p-2 text-xs" data-testid="promote-preview">
      {preview.blocked && (
        <Banner
          tone={preview.to.quarantine ? "error" : "warning"}
          title={`Will be refused as it stands: ${preview.blocked}`}
          testId="promote-preview-blocked"
        />
      )}
      <table className="w-full">
        <thead className="text-slate-500">
          <tr>
            <th className="text-left font-medium" />
            <th className="text-left font-medium">From (pinned now)</th>
            <th className="text-left font-medium">To</th>
          </tr>
        </thead>
        <tbody>
          <Row
            label="Digest"
            from={preview.from && <DigestText digest={preview.from.digest} />}
            to={<DigestText digest={preview.to.digest} />}
          />
          <Row
            label="State"
            from={preview.from && <DigestStateBadge state={preview.from.state} />}
            to={<DigestStateBadge state={preview.to.state} reason={preview.to.quarantine?.reason} />}
          />
          <Row label="Tags" from={tags(preview.from)} to={tags(preview.to)} />
          <Row label="Created" from={date(preview.from?.created)} to={date(preview.to.created)} />
          <Row label="Revision" from={revision(preview.from?.revision)} to={revision(preview.to.revision)} />
          <Row label="Version" from={preview.from?.version ?? "—"} to={preview.to.version ?? "—"} />
          <Row
            label="Size"
            from={formatBytes(preview.from?.size ?? null)}
            to={`${formatBytes(preview.to.size)} (${formatSizeDelta(preview.sizeDelta)})`}
          />
          <Row
            label="Platforms"
            from={preview.from?.platforms.join(", ") || "—"}
            to={preview.to.platforms.join(", ") || "—"}
          />
        </tbody>
      </table>
      {preview.compareUrl && (
        <a
          href={preview.compareUrl}
          target="_blank"
          rel="noreferrer noopener"
          className="text-sky-700 hover:underline"
          data-testid="promote-compare-link"
        >
          Compare the revisions
        </a>
      )}
      <p data-testid="promote-preview-cool-down">
        Known for {formatDuration(preview.coolDown.ageSeconds)}
        {preview.coolDown.minAgeSeconds > 0
          ? `; cool-down ${formatDuration(preview.coolDown.minAgeSeconds)} (${preview.coolDown.satisfied ? "met" : "not met"})`
          : "; no cool-down"}
        .
      </p>
      <p data-testid="promote-preview-stale">
        After the promote, {preview.staleAfter} of {preview.fleet} live workspace(s) will be stale until reprovisioned.
      </p>
    </div>
  );
}

function Row({ label, from, to }: { label: string; from: React.ReactNode; to: React.ReactNode }) {
  return (
    <tr>
      <th className="pr-2 text-left font-medium text-slate-500">{label}</th>
      <td className="pr-2 align-top">{from ?? "—"}</td>
      <td className="align-top">{to}</td>
    </tr>
  );
}

function tags(side: Side | null): string {
  return side && side.tags.length > 0 ? side.tags.map((tag) => `:${tag}`).join(" ") : "—";
}

/** A commit sha shortened to 12 characters (the whole one on hover), so a 40-character sha fits the dialog. */
function revision(value: string | null | undefined): React.ReactNode {
  if (!value) return "—";
  return (
    <span className="font-mono" title={value} data-revision={value}>
      {value.length > 12 ? value.slice(0, 12) : value}
    </span>
  );
}

function date(value: string | null | undefined): string {
  return value ? `${value.slice(0, 19).replace("T", " ")} UTC` : "—";
}
