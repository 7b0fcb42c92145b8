"use client";

import { useState, type ReactNode } from "react";

import { shortDigest } from "@/lib/domain/image-ref";

/**
 * A digest in its short form (`sha256:` + 12 hex) with the full digest in the
 * title and a copy button; `empty` is shown when there is no digest.
 */
export function DigestText({
  digest,
  empty = "—",
  testId,
}: {
  digest: string | null | undefined;
  empty?: ReactNode;
  testId?: string;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  if (!digest) return <span className="text-slate-400">{empty}</span>;

  async function copy() {
    try {
      await navigator.clipboard.writeText(digest!);
      setCopied("yes");
    } catch {
      // Clipboard access needs a secure context; the full digest stays selectable in the title.
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 1500);
  }

  return (
    <span className="inline-flex items-center gap-1 font-mono text-xs" data-testid={testId} data-digest={digest}>
      <span title={digest} className="text-slate-800">
        {shortDigest(digest)}
      </span>
      <button
        type="button"
        onClick={copy}
        aria-label={`Copy digest ${digest}`}
        title="Copy full digest"
        className="rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-sky-600"
      >
        {copied === "yes" ? "✓" : copied === "failed" ? "✗" : <CopyIcon />}
      </button>
      <span aria-live="polite" className="sr-only">
        {copied === "yes" ? "Copied" : copied === "failed" ? "Copy failed" : ""}
      </span>
    </span>
  );
}

function CopyIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 5.5v-2a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 3.5V9A1.5 1.5 0 0 0 4 10.5h1.5" />
    </svg>
  );
}
