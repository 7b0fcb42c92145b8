import { cn } from "./cn";

export type ProgressSegment = { label: string; share: number; className: string };

const clamp = (n: number) => Math.max(0, Math.min(100, n));

/**
 * A determinate progress bar. `value` (0–100) is what assistive technology
 * hears; `segments` colour the finished part by outcome (e.g. succeeded,
 * failed, cancelled) and default to one green bar of `value`.
 */
export function ProgressBar({
  label,
  value,
  segments,
  testId,
  className,
}: {
  label: string;
  value: number;
  segments?: ProgressSegment[];
  testId?: string;
  className?: string;
}) {
  const now = Math.round(clamp(value));
  const parts = segments ?? [{ label: "done", share: now, className: "bg-emerald-500" }];
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={now}
      aria-valuetext={`${now}%`}
      data-testid={testId}
      className={cn("flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200", className)}
    >
      {parts.map((part) =>
        part.share > 0 ? (
          <div
            key={part.label}
            title={part.label}
            className={cn("h-full transition-[width] duration-500", part.className)}
            style={{ width: `${clamp(part.share)}%` }}
          />
        ) : null,
      )}
    </div>
  );
}
