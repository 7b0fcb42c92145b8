import { DigestText } from "@/components/ui/digest-text";

function digestOf(value: unknown): string | null | undefined {
  if (value && typeof value === "object" && "digest" in value) {
    const digest = (value as { digest: unknown }).digest;
    return typeof digest === "string" ? digest : null;
  }
  return undefined;
}

function compact(value: unknown): string {
  if (value === null || value === undefined) return "—";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Before → after of an audit entry: digests as short digests, anything else as compact JSON. */
export function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  const from = digestOf(before);
  const to = digestOf(after);
  if (from !== undefined || to !== undefined) {
    return (
      <span className="inline-flex flex-wrap items-center gap-1">
        <DigestText digest={from} empty="unpinned" />
        <span aria-label="to" className="text-slate-400">
          →
        </span>
        <DigestText digest={to} empty="unpinned" />
      </span>
    );
  }
  if (before === null && after === null) return <span className="text-slate-400">—</span>;
  return (
    <span
      className="block max-w-64 truncate font-mono text-xs text-slate-600"
      title={JSON.stringify({ before, after }, null, 2)}
    >
      {before !== null && before !== undefined && <>{compact(before)} → </>}
      {compact(after)}
    </span>
  );
}
