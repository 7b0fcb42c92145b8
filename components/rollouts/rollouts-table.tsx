import Link from "next/link";

import { DigestText } from "@/components/ui/digest-text";
import { DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";

import { RolloutStatusBadge } from "./rollout-status-badge";
import type { RolloutListRow } from "./types";

const COLUMNS = ["Rollout", "Template", "From → to", "Status", "Ring", "By", "Started"];

/** Rollouts, newest first, each linking to its page (the rollouts list and the pins page). */
export function RolloutsTable({
  rows,
  empty = "No rollout yet.",
  testId = "rollouts-table",
}: {
  rows: RolloutListRow[];
  empty?: string;
  testId?: string;
}) {
  return (
    <DataTable caption="Rollouts" testId={testId} columns={COLUMNS} rows={rows} empty={empty}>
      {(row) => (
        <tr key={row.id} data-testid={`rollout-row-${row.id}`} data-status={row.status}>
          <Td>
            <Link href={`/rollouts/${row.id}`} className="font-mono text-xs text-sky-700 hover:underline">
              {row.id.slice(0, 8)}
            </Link>
          </Td>
          <Td className="whitespace-nowrap text-slate-800">{row.templateName}</Td>
          <Td className="whitespace-nowrap">
            <DigestText digest={row.fromDigest} empty="unpinned" /> → <DigestText digest={row.toDigest} />
          </Td>
          <Td>
            <RolloutStatusBadge status={row.status} testId="rollout-row-status" />
            {row.statusReason && (
              <p className="mt-1 max-w-64 truncate text-xs text-slate-500" title={row.statusReason}>
                {row.statusReason}
              </p>
            )}
          </Td>
          <Td className="whitespace-nowrap text-xs text-slate-700">
            {row.ringNames[row.currentRing] ?? "—"}{" "}
            <span className="text-slate-400">
              ({Math.min(row.currentRing + 1, row.ringNames.length)}/{row.ringNames.length})
            </span>
          </Td>
          <Td className="max-w-48 truncate text-xs text-slate-600" title={row.actor}>
            {row.actor}
          </Td>
          <Td>
            <TimeAgo date={row.createdAt} />
          </Td>
        </tr>
      )}
    </DataTable>
  );
}
