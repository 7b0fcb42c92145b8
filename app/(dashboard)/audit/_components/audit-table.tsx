import Link from "next/link";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, Td } from "@/components/ui/table";
import { formatTimestamp, TimeAgo } from "@/components/ui/time-ago";
import type { AuditRow } from "@/lib/db/audit-log";

import { AuditChange } from "./audit-change";

const COLUMNS = ["Time", "Actor", "Action", "Target", "Template", "Reason", "Before → after"];

function actionTone(action: string): BadgeTone {
  if (action === "pin.promote") return "info";
  if (action === "pin.rollback") return "warning";
  if (action === "pin.unpin") return "danger";
  return "neutral";
}

function Target({ row }: { row: AuditRow }) {
  if (row.targetType === "operation") {
    return (
      <Link
        href={`/operations/${row.targetId}`}
        className="whitespace-nowrap text-sky-700 hover:underline"
        title={row.targetId}
      >
        operation {row.targetId.slice(0, 8)}
      </Link>
    );
  }
  if (row.targetType === "workspace") {
    return (
      <Link
        href={`/workspaces?q=${row.targetId}`}
        className="whitespace-nowrap text-sky-700 hover:underline"
        title={row.targetId}
      >
        workspace {row.targetId.slice(0, 8)}
      </Link>
    );
  }
  if (row.targetType === "rollout") {
    return (
      <Link
        href={`/rollouts/${row.targetId}`}
        className="whitespace-nowrap text-sky-700 hover:underline"
        title={row.targetId}
      >
        rollout {row.targetId.slice(0, 8)}
      </Link>
    );
  }
  if (row.targetType === "pin") return <span className="text-slate-700">{row.targetId}</span>;
  return (
    <span className="whitespace-nowrap text-slate-700" title={row.targetId}>
      {row.targetType} <span className="font-mono text-xs">{row.targetId.slice(0, 8)}</span>
    </span>
  );
}

/** Audit entries, newest first: who did what to which target, when, why, and what changed. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable caption="Audit log" testId="audit-table" columns={COLUMNS} rows={rows} empty="No audit entries match.">
      {(row) => (
        <tr key={row.id} data-testid="audit-row" data-action={row.action} data-template={row.templateName ?? ""}>
          <Td className="whitespace-nowrap text-xs text-slate-600">
            <TimeAgo date={row.createdAt} />
            <div className="text-[11px] text-slate-400">{formatTimestamp(row.createdAt)}</div>
          </Td>
          <Td className="whitespace-nowrap text-slate-700">{row.actor}</Td>
          <Td>
            <Badge tone={actionTone(row.action)}>{row.action}</Badge>
          </Td>
          <Td>
            <Target row={row} />
          </Td>
          <Td className="whitespace-nowrap text-slate-700">{row.templateName ?? "—"}</Td>
          <Td className="min-w-48 max-w-72 text-xs text-slate-600">
            <p className="line-clamp-2" title={row.reason ?? undefined}>
              {row.reason ?? "—"}
            </p>
          </Td>
          <Td>
            <AuditChange before={row.before} after={row.after} />
          </Td>
        </tr>
      )}
    </DataTable>
  );
}
