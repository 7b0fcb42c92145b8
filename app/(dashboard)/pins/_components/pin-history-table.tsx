import { Badge } from "@/components/ui/badge";
import { DigestText } from "@/components/ui/digest-text";
import { DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { PinHistoryRow } from "@/lib/db/pin-overview";

import { GitSha } from "./git-sha";

const COLUMNS = ["When", "Action", "From", "To", "Actor", { label: "Reason", className: "w-1/3" }];
const TONES = { promote: "info", rollback: "warning", unpin: "danger" } as const;

/** A template's pin changes, newest first; digests under quarantine are marked. */
export function PinHistoryTable({
  rows,
  quarantined = new Set(),
}: {
  rows: PinHistoryRow[];
  quarantined?: ReadonlySet<string>;
}) {
  const mark = (digest: string | null) =>
    digest && quarantined.has(digest) ? (
      <Badge
        tone="danger"
        title="Rolled back from; cannot be promoted until the quarantine is lifted"
        testId="quarantined-mark"
      >
        quarantined
      </Badge>
    ) : null;
  return (
    <DataTable
      caption="Pin history"
      testId="pin-history"
      columns={COLUMNS}
      rows={rows}
      empty="This template has never been pinned; it follows :latest."
    >
      {(row) => (
        <tr key={row.id} data-testid="pin-history-row">
          <Td className="text-xs text-slate-600">
            <TimeAgo date={row.createdAt} />
          </Td>
          <Td>
            <Badge tone={TONES[row.action]}>{row.action}</Badge>
          </Td>
          <Td>
            <DigestText digest={row.fromDigest} empty="unpinned" /> {mark(row.fromDigest)}
          </Td>
          <Td>
            <DigestText digest={row.toDigest} empty="unpinned" /> {mark(row.toDigest)}
            {row.gitSha && <GitSha sha={row.gitSha} />}
          </Td>
          <Td className="text-slate-700">{row.actor}</Td>
          <Td className="text-xs text-slate-600">{row.reason}</Td>
        </tr>
      )}
    </DataTable>
  );
}
