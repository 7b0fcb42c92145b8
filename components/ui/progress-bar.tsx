import { cn } from "@/components/ui/cn";

/**
 * A determinate progress bar: `done` is the finished share (green), `failed`
 * the failed share (red) of the same bar, both 0–100.
 */
export function ProgressBar({
  label,
  value,
  failed = 0,
  testId,
  className,
}: {
  label: string;
  value: number;
  failed?: number;
  testId?: string;
  className?: string;
}) {
  const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
  const total = clamp(value);
  const failedPart = Math.min(clamp(failed), total);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={total}
      aria-valuetext={`${total}%`}
      data-testid={testId}
      className={cn("flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200", className)}
    >
      <div className="h-full bg-emerald-500 transition-[width] duration-500" style={{ width: `${total - failedPart}%` }} />
      <div className="h-full bg-red-500 transition-[width] duration-500" style={{ width: `${failedPart}%` }} />
    </div>
  );
}
