import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { DigestText } from "@/components/ui/digest-text";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { FleetCounts } from "@/components/workspaces/fleet-counts";
import type { PinOverviewRow } from "@/lib/db/pin-overview";
import type { Loaded } from "@/lib/status/load-section";

import { GitSha } from "./git-sha";
import { PinActions } from "./pin-actions";

const COLUMNS = ["Template", "Pinned digest", "Last change", { label: "Reason", className: "w-1/4" }, "Fleet"];

/** Every template with its pin, who set it and why, its fleet, and (for operators) the pin actions. */
export function PinsTable({
  rows,
  canOperate,
  tagsOf,
  quarantined = new Map(),
}: {
  rows: PinOverviewRow[];
  canOperate: boolean;
  tagsOf: (templateName: string) => Promise<Loaded<string[]>>;
  /** Quarantined digests per template, marked where they show. */
  quarantined?: ReadonlyMap<string, ReadonlySet<string>>;
}) {
  return (
    <DataTable
      caption="Template pins"
      testId="pins-table"
      columns={[...COLUMNS, canOperate && ACTIONS_COLUMN]}
      rows={rows}
    >
      {(row) => (
        <tr key={row.templateName} data-testid={`pin-row-${row.templateName}`} data-digest={row.pin?.digest ?? ""}>
          <Td>
            <Link
              href={`/pins/${encodeURIComponent(row.templateName)}`}
              className="whitespace-nowrap font-medium text-slate-900 hover:underline"
            >
              {row.templateName}
            </Link>
            {!row.known && (
              <Badge tone="warning" title="Not one of the nine known runtimes, but it has a pin">
                custom
              </Badge>
            )}
          </Td>
          <Td data-testid="pinned-digest">
            {row.pin ? <DigestText digest={row.pin.digest} /> : <Badge tone="muted">unpinned — follows :latest</Badge>}
            {row.rollbackTarget && quarantined.get(row.templateName)?.has(row.rollbackTarget) && (
              <div className="mt-1">
                <Badge
                  tone="danger"
                  title="The digest a Rollback would restore is quarantined"
                  testId="rollback-target-quarantined"
                >
                  rollback target quarantined
                </Badge>
              </div>
            )}
            {row.pin?.gitSha && <GitSha sha={row.pin.gitSha} />}
          </Td>
          <Td className="text-xs text-slate-600">
            {row.pin ? (
              <>
                <TimeAgo date={row.pin.updatedAt} />
                <div className="text-slate-500">{row.pin.updatedBy ?? "unknown"}</div>
              </>
            ) : (
              "—"
            )}
          </Td>
          <Td className="max-w-72 text-xs text-slate-600">
            <p className="line-clamp-2" title={row.pin?.notes ?? undefined}>
              {row.pin?.notes ?? "—"}
            </p>
          </Td>
          <Td>
            <FleetCounts
              total={row.workspaceCount}
              onPin={row.onPinCount}
              stale={row.staleCount}
              unknown={row.unknownCount}
              down={row.downCount}
            />
          </Td>
          {canOperate && (
            <Td>
              <PinActions
                templateName={row.templateName}
                repository={row.repository}
                currentDigest={row.pin?.digest ?? null}
                rollbackTarget={row.rollbackTarget}
                tags={tagsOf(row.templateName)}
              />
            </Td>
          )}
        </tr>
      )}
    </DataTable>
  );
}
