import { StackedBar } from "@/components/ui/stacked-bar";

/** Segment colours shared by every on-pin / stale / unknown chart. */
export const FLEET_SEGMENTS = [
  { key: "onPin", label: "on pin", className: "bg-emerald-500" },
  { key: "stale", label: "stale", className: "bg-amber-500" },
  { key: "unknown", label: "unknown", className: "bg-slate-400" },
] as const;

/** "12 workspaces · 3 stale · 1 down" plus a small stacked bar of on pin / stale / unknown. */
export function FleetCounts({
  total,
  onPin,
  stale,
  unknown,
  down = 0,
  testId,
}: {
  total: number;
  onPin: number;
  stale: number;
  unknown: number;
  /** Workspaces whose container is not running although nobody stopped it (not part of the bar: another axis). */
  down?: number;
  testId?: string;
}) {
  const values = { onPin, stale, unknown };
  return (
    <div className="min-w-40 space-y-1" data-testid={testId}>
      <p className="text-xs text-slate-600">
        <span className="font-medium text-slate-900" data-testid="workspace-count">
          {total}
        </span>{" "}
        workspace{total === 1 ? "" : "s"}
        {stale > 0 && (
          <>
            {" · "}
            <span className="font-medium text-amber-700" data-testid="stale-count">
              {stale} stale
            </span>
          </>
        )}
        {unknown > 0 && <span className="text-slate-500"> · {unknown} unknown</span>}
        {down > 0 && (
          <>
            {" · "}
            <span className="font-medium text-red-700" data-testid="down-count">
              {down} down
            </span>
          </>
        )}
      </p>
      {onPin + stale + unknown > 0 && (
        <StackedBar
          segments={FLEET_SEGMENTS.map((segment) => ({
            label: segment.label,
            className: segment.className,
            value: values[segment.key],
          }))}
        />
      )}
    </div>
  );
}
