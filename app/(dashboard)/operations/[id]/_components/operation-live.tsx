"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";

import { OperationProgressSummary } from "@/components/operations/operation-progress-summary";
import type { OperationProgressJson } from "@/components/operations/types";
import { useOperationProgress } from "@/components/operations/use-operation-progress";
import { Banner } from "@/components/ui/banner";
import { Card } from "@/components/ui/card";
import { formatTimestamp, TimeAgo } from "@/components/ui/time-ago";
import { cancelNote } from "@/lib/domain/operation-text";
import { isTerminalOperationStatus } from "@/lib/schemas/operation";

import { CancelOperationButton } from "./cancel-operation-button";
import { OperationFailures } from "./operation-failures";
import { OperationItems } from "./operation-items";
import { RetryFailedButton } from "./retry-failed-button";

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="truncate text-sm text-slate-800" title={typeof children === "string" ? children : undefined}>
        {children}
      </dd>
    </div>
  );
}

/** The live operation page body: progress, failures first, then every per-workspace result. */
export function OperationLive({
  initial,
  canCancel,
  quarantinedDigests = [],
}: {
  initial: OperationProgressJson;
  canCancel: boolean;
  /** Digests under quarantine, marked on the items' from/to. */
  quarantinedDigests?: readonly string[];
}) {
  const router = useRouter();
  const { progress: current, problem } = useOperationProgress(initial.id, initial, () => router.refresh());
  const progress = current ?? initial;
  const active = !isTerminalOperationStatus(progress.status);
  const cancelled = cancelNote({
    ...progress,
    at: progress.cancelledAt ? formatTimestamp(new Date(progress.cancelledAt)) : null,
  });

  return (
    <div className="space-y-5">
      {problem && (
        <Banner tone="warning" title="Live updates interrupted">
          {problem}
        </Banner>
      )}
      {progress.error && (
        // A sync that failed nothing can still have left containers alone (unreadable or ambiguous identity): a report, not an error.
        <Banner
          tone={progress.kind === "sync" && progress.failed === 0 ? "warning" : "error"}
          title={
            progress.kind === "sync" && progress.failed === 0
              ? "Sync left some containers or workspaces alone"
              : "The operation reported an error"
          }
          testId="operation-error"
        >
          {progress.error}
        </Banner>
      )}
      <Card
        title="Progress"
        actions={
          canCancel &&
          (active
            ? !progress.cancelRequested && <CancelOperationButton operationId={progress.id} />
            : progress.failed > 0 &&
              progress.kind !== "sync" && <RetryFailedButton operationId={progress.id} failed={progress.failed} />)
        }
      >
        <div className="space-y-4 p-4">
          <OperationProgressSummary progress={progress} />
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            <Meta label="Requested by">{progress.requestedBy}</Meta>
            <Meta label="Scope">
              {progress.templateName ?? (progress.kind === "sync" ? "all containers" : "all templates")}
            </Meta>
            <Meta label="Concurrency">{progress.concurrency} at a time</Meta>
            <Meta label="Created">
              <TimeAgo date={progress.createdAt} />
            </Meta>
            <Meta label="Started">
              <TimeAgo date={progress.startedAt} />
            </Meta>
            <Meta label="Finished">
              {progress.finishedAt ? <TimeAgo date={progress.finishedAt} /> : active ? "running…" : "—"}
            </Meta>
          </dl>
          {progress.reason && <p className="text-sm text-slate-600">Reason: {progress.reason}</p>}
          {(progress.retryOf || progress.retriedBy.length > 0) && (
            <p className="text-sm text-slate-600" data-testid="operation-retry-links">
              {progress.retryOf && (
                <>
                  Retries the failures of{" "}
                  <Link href={`/operations/${progress.retryOf}`} className="text-sky-700 hover:underline">
                    operation {progress.retryOf.slice(0, 8)}
                  </Link>
                  .{" "}
                </>
              )}
              {progress.retriedBy.length > 0 && <>Retried in </>}
              {progress.retriedBy.map((id, index) => (
                <span key={id}>
                  {index > 0 && ", "}
                  <Link href={`/operations/${id}`} className="text-sky-700 hover:underline">
                    operation {id.slice(0, 8)}
                  </Link>
                </span>
              ))}
            </p>
          )}
          {cancelled && (
            <p className="text-sm text-amber-800" data-testid="operation-cancel-note">
              {cancelled}
            </p>
          )}
        </div>
      </Card>
      {progress.skipped > 0 && (
        <Banner
          tone="warning"
          title={`${progress.skipped} workspace${progress.skipped === 1 ? " was" : "s were"} skipped`}
          testId="operation-skipped"
        >
          Another operation already had {progress.skipped === 1 ? "it" : "them"} queued or running, and a workspace is
          reprovisioned by one operation at a time. Each skipped row below names the operation that has it.
        </Banner>
      )}
      <OperationFailures progress={progress} />
      {progress.kind === "sync" ? (
        <p className="text-sm text-slate-600">
          Sync updates workspace rows in place: {progress.succeeded} synced, {progress.failed} could not be synced
          {progress.failed > 0 && " (each one is named in the error above)"}. Containers it left alone, if any, are
          listed above with the reason. See the Workspaces page for the result.
        </p>
      ) : (
        <Card title="Workspaces" description={`${progress.total} in this operation`}>
          <OperationItems
            items={progress.items}
            omitted={progress.itemsOmitted}
            quarantined={new Set(quarantinedDigests)}
          />
        </Card>
      )}
    </div>
  );
}
