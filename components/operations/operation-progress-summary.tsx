import { ProgressBar } from "@/components/ui/progress-bar";

import { OperationStatusBadge } from "./operation-status-badge";
import { operationKindLabel, type OperationProgressJson } from "./types";

/**
 * Progress bar and counters of an operation. The bar's value is the share
 * of items that reached an outcome, coloured by outcome: succeeded green,
 * failed red, cancelled or skipped grey.
 */
export function OperationProgressSummary({
  progress,
  compact = false,
}: {
  progress: OperationProgressJson;
  compact?: boolean;
}) {
  const share = (count: number) => (progress.total > 0 ? (count / progress.total) * 100 : 0);
  const segments = [
    {
      label: `${progress.succeeded} succeeded`,
      share: progress.total > 0 ? share(progress.succeeded) : progress.percent,
      className: "bg-emerald-500",
    },
    { label: `${progress.failed} failed`, share: share(progress.failed), className: "bg-red-500" },
    {
      label: `${progress.cancelled + progress.skipped} cancelled or skipped`,
      share: share(progress.cancelled + progress.skipped),
      className: "bg-slate-400",
    },
  ];
  const label = `${operationKindLabel(progress.kind)} progress`;
  return (
    <div className="space-y-1.5" data-testid="operation-summary" data-status={progress.status}>
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <OperationStatusBadge status={progress.status} testId="operation-status" />
        {progress.cancelRequested && progress.status === "running" && (
          <span className="text-amber-700">cancelling…</span>
        )}
        <span className="ml-auto tabular-nums" data-testid="operation-counts">
          {progress.succeeded + progress.failed + progress.cancelled + progress.skipped} / {progress.total} done
          {!compact && (
            <>
              {" · "}
              <span className="text-emerald-700">{progress.succeeded} succeeded</span>
              {" · "}
              <span className={progress.failed > 0 ? "font-medium text-red-700" : ""}>{progress.failed} failed</span>
              {progress.skipped > 0 && <> · {progress.skipped} skipped</>}
              {progress.cancelled > 0 && <> · {progress.cancelled} cancelled</>}
              {progress.running > 0 && <> · {progress.running} running</>}
            </>
          )}
        </span>
      </div>
      <ProgressBar label={label} value={progress.percent} segments={segments} testId="operation-progress" />
    </div>
  );
}
