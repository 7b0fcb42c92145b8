import { cn } from "./cn";

export type StackedBarSegment = { label: string; value: number; className: string };

/**
 * One horizontal bar split into proportional segments (e.g. on pin / stale /
 * unknown). Screen readers get the numbers as text; the bar is decoration.
 */
export function StackedBar({
  segments,
  max,
  testId,
}: {
  segments: StackedBarSegment[];
  max?: number;
  testId?: string;
}) {
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  const scale = Math.max(max ?? total, 1);
  const summary = segments.map((segment) => `${segment.value} ${segment.label}`).join(", ");
  return (
    <div data-testid={testId} className="flex items-center gap-2">
      <div aria-hidden className="flex h-3 min-w-24 flex-1 overflow-hidden rounded-sm bg-slate-100">
        {segments.map((segment) =>
          segment.value > 0 ? (
            <div
              key={segment.label}
              title={`${segment.value} ${segment.label}`}
              className={cn("h-full", segment.className)}
              style={{ width: `${(segment.value / scale) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <span className="sr-only">{summary}</span>
    </div>
  );
}

/** The colour key for a StackedBar. */
export function StackedBarLegend({ segments }: { segments: Omit<StackedBarSegment, "value">[] }) {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-600" aria-label="Legend">
      {segments.map((segment) => (
        <li key={segment.label} className="flex items-center gap-1.5">
          <span aria-hidden className={cn("size-2.5 rounded-sm", segment.className)} />
          {segment.label}
        </li>
      ))}
    </ul>
  );
}
