"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";

import { failureText } from "@/lib/domain/operation-text";

import { OperationProgressSummary } from "./operation-progress-summary";
import type { OperationProgressJson } from "./types";
import { useOperationProgress } from "./use-operation-progress";

/**
 * A compact live view of one operation (for a table row or a list): polls
 * until it finishes, then refreshes the page's server data so the rows show
 * what Docker now runs. Failures are spelled out, never just counted.
 */
export function OperationTracker({
  operationId,
  initial = null,
  className = "w-56",
  onTerminal,
}: {
  operationId: string;
  initial?: OperationProgressJson | null;
  className?: string;
  onTerminal?: (progress: OperationProgressJson) => void;
}) {
  const router = useRouter();
  const { progress, problem } = useOperationProgress(operationId, initial, (done) => {
    router.refresh();
    onTerminal?.(done);
  });
  const failures = progress?.items.filter((item) => item.status === "failed") ?? [];

  return (
    <div className={`space-y-1 text-left ${className}`} data-testid={`operation-tracker-${operationId}`}>
      {progress ? (
        <OperationProgressSummary progress={progress} compact />
      ) : (
        <p className="text-xs text-slate-500">Starting…</p>
      )}
      {failures.slice(0, 3).map((item) => (
        <p key={item.id} className="truncate text-xs text-red-700" title={failureText(item)}>
          {failures.length === 1 && progress?.total === 1
            ? failureText(item)
            : `${item.workspaceName}: ${failureText(item)}`}
        </p>
      ))}
      {failures.length > 3 && <p className="text-xs text-red-700">…and {failures.length - 3} more failures</p>}
      {problem && (
        <p role="alert" className="text-xs text-amber-700">
          {problem}
        </p>
      )}
      <Link href={`/operations/${operationId}`} className="text-xs text-sky-700 hover:underline">
        Details →
      </Link>
    </div>
  );
}
