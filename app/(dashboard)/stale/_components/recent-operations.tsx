import Link from "next/link";

import { RetryFailedButton } from "@/app/(dashboard)/operations/[id]/_components/retry-failed-button";
import { OperationStatusBadge } from "@/components/operations/operation-status-badge";
import { OperationTracker } from "@/components/operations/operation-tracker";
import { operationKindLabel, toProgressJson } from "@/components/operations/types";
import { DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { OperationSummary } from "@/lib/domain/operation-progress";
import { isTerminalOperationStatus } from "@/lib/schemas/operation";

const COLUMNS = ["Operation", "Scope", "Requested", { label: "Progress", className: "w-2/5" }];

/** The latest operations; running ones show a live progress bar, finished ones their outcome (and "Retry failed" for operators). */
export function RecentOperations({
  operations,
  canRetry = false,
}: {
  operations: OperationSummary[];
  canRetry?: boolean;
}) {
  return (
    <DataTable
      caption="Recent operations"
      testId="recent-operations"
      columns={COLUMNS}
      rows={operations}
      empty="No operations yet."
    >
      {(operation) => (
        <tr key={operation.id} data-testid={`operation-row-${operation.id}`}>
          <Td>
            <Link href={`/operations/${operation.id}`} className="font-medium text-slate-900 hover:underline">
              {operationKindLabel(operation.kind)}
            </Link>
          </Td>
          <Td className="text-slate-600">
            {operation.templateName ?? (operation.kind === "sync" ? "all containers" : "all templates")}
          </Td>
          <Td className="text-xs text-slate-600">
            <TimeAgo date={operation.createdAt} />
            <div className="text-slate-500">{operation.requestedBy}</div>
          </Td>
          <Td>
            {isTerminalOperationStatus(operation.status) ? (
              <div className="flex items-center gap-2 text-xs text-slate-600">
                <OperationStatusBadge status={operation.status} />
                <span className="tabular-nums">
                  {operation.succeeded} succeeded ·{" "}
                  <span className={operation.failed > 0 ? "font-medium text-red-700" : ""}>
                    {operation.failed} failed
                  </span>{" "}
                  of {operation.total}
                </span>
                {canRetry && operation.failed > 0 && operation.kind !== "sync" && (
                  <span className="ml-auto">
                    <RetryFailedButton operationId={operation.id} failed={operation.failed} />
                  </span>
                )}
              </div>
            ) : (
              <OperationTracker
                operationId={operation.id}
                initial={toProgressJson({ ...operation, items: [], itemsOmitted: 0, retriedBy: [] })}
                className="w-full max-w-md"
              />
            )}
          </Td>
        </tr>
      )}
    </DataTable>
  );
}
