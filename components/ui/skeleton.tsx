/** A grey placeholder for a section that is still streaming in. */
export function SectionSkeleton({ rows = 5, label = "Loading…" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-4 h-4 w-40 animate-pulse rounded bg-slate-200" />
      <div className="space-y-2.5">
        {Array.from({ length: rows }, (_, index) => (
          <div key={index} className="h-6 animate-pulse rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
