import { Badge } from "@/components/ui/badge";
import { DigestText } from "@/components/ui/digest-text";
import { ACTIONS_COLUMN, DataTable, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { StalenessBadge } from "@/components/workspaces/staleness-badge";
import { WorkspaceStatusBadge } from "@/components/workspaces/workspace-status-badge";
import type { WorkspaceRow } from "@/lib/db/workspaces";

import { ReprovisionButton } from "./reprovision-button";

const COLUMNS = ["Workspace", "Template", "Host", "Container", "Status", "Running digest", "Pinned digest", "Pin"];

/** The ring column: each workspace's ring, and the bulk form the row checkboxes belong to (operators). */
export type WorkspaceRings = { ringOf: ReadonlyMap<string, string>; selectForm?: string };

/** Workspaces with their container, status, running vs pinned digest and (for operators) Reprovision. */
export function WorkspaceTable({
  rows,
  canOperate,
  empty,
  quarantined = new Map(),
  rings,
}: {
  rows: WorkspaceRow[];
  canOperate: boolean;
  empty: string;
  /** Quarantined digests per template: a workspace still running one is marked. */
  quarantined?: ReadonlyMap<string, ReadonlySet<string>>;
  /** When rings are enabled: a Ring column, and checkboxes for "Add to ring". */
  rings?: WorkspaceRings;
}) {
  const selectable = Boolean(rings?.selectForm);
  return (
    <DataTable
      caption="Workspaces"
      testId="workspace-table"
      columns={[selectable && "Select", ...COLUMNS, rings !== undefined && "Ring", canOperate && ACTIONS_COLUMN]}
      rows={rows}
      empty={empty}
    >
      {(row) => (
        <tr
          key={row.id}
          data-testid={`workspace-row-${row.id}`}
          data-staleness={row.staleness}
          data-digest={row.runtimeImageDigest ?? ""}
        >
          {selectable && (
            <Td>
              {/* Outside the form in the DOM; the form attribute ties it to the "Add to ring" form above. */}
              <input
                type="checkbox"
                name="workspaceIds[]"
                value={row.id}
                form={rings!.selectForm}
                aria-label={`Select ${row.name}`}
                data-testid={`select-workspace-${row.id}`}
              />
            </Td>
          )}
          <Td>
            <div className="whitespace-nowrap font-medium text-slate-900">{row.name}</div>
            <div className="font-mono text-[11px] text-slate-400" title={row.id}>
              {row.id.slice(0, 8)}
            </div>
          </Td>
          <Td className="whitespace-nowrap text-slate-700">{row.runtime}</Td>
          <Td className="whitespace-nowrap font-mono text-xs text-slate-700" data-testid="workspace-host">
            {row.host}
          </Td>
          <Td>
            {row.containerName ? (
              <div className="whitespace-nowrap font-mono text-xs text-slate-700">{row.containerName}</div>
            ) : (
              <span className="text-slate-400">none</span>
            )}
            {row.containerId && (
              <div className="font-mono text-[11px] text-slate-400" title={row.containerId}>
                {row.containerId.slice(0, 12)}
              </div>
            )}
          </Td>
          <Td>
            <div className="flex flex-wrap items-center gap-1">
              <WorkspaceStatusBadge status={row.status} />
              {row.locked && <Badge tone="info">reprovisioning</Badge>}
            </div>
            {row.lastError && (
              <p className="mt-1 max-w-48 truncate text-xs text-red-700" title={row.lastError}>
                {row.lastError}
              </p>
            )}
          </Td>
          <Td data-testid="running-digest">
            <DigestText digest={row.runtimeImageDigest} empty="not recorded" />
            {row.runtimeImageDigest && quarantined.get(row.runtime)?.has(row.runtimeImageDigest) && (
              <div>
                <Badge
                  tone="danger"
                  title="Rolled back from: reprovision this workspace onto the pin"
                  testId="running-quarantined"
                >
                  quarantined
                </Badge>
              </div>
            )}
            {row.lastProvisionedAt && (
              <div className="text-[11px] text-slate-400">
                provisioned <TimeAgo date={row.lastProvisionedAt} />
              </div>
            )}
          </Td>
          <Td>
            <DigestText digest={row.pinnedDigest} empty=":latest" />
          </Td>
          <Td>
            <StalenessBadge staleness={row.staleness} />
          </Td>
          {rings && (
            <Td className="whitespace-nowrap text-xs text-slate-700" data-testid="workspace-ring">
              {rings.ringOf.get(row.id) ?? "—"}
            </Td>
          )}
          {canOperate && (
            <Td className="text-right">
              <ReprovisionButton
                workspaceId={row.id}
                workspaceName={row.name}
                disabled={row.locked || row.status === "removed"}
              />
            </Td>
          )}
        </tr>
      )}
    </DataTable>
  );
}
