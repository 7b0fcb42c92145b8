import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DigestText } from "@/components/ui/digest-text";
import { DataTable, Td } from "@/components/ui/table";
import { WorkspaceStatusBadge } from "@/components/workspaces/workspace-status-badge";

import type { RolloutWorkspaceView } from "./types";

// What the bake gate last saw of a container (null before its first look).
const HEALTH_TONES: Record<string, BadgeTone> = {
  healthy: "success",
  running: "success",
  starting: "info",
  unhealthy: "danger",
  restarted: "danger",
  exited: "danger",
  replaced: "danger",
  gone: "danger",
  probe_failed: "danger",
  unknown: "warning",
};
const COLUMNS = ["Workspace", "Host", "State", "Health", "Container", "Running digest"];

/** Whether a workspace should show its last log lines: it is not running well. */
function failing(ws: RolloutWorkspaceView): boolean {
  return Boolean(ws.gateReason) || (ws.health !== null && HEALTH_TONES[ws.health] === "danger");
}

/**
 * One ring's workspaces: state, health (null when the image has no healthcheck), container, and the
 * digest it really runs against the ring's target. A failing workspace shows its last log lines, the
 * first thing an operator reads when a ring fails.
 */
export function RingWorkspacesTable({
  ringName,
  workspaces,
  targetDigest,
}: {
  ringName: string;
  workspaces: RolloutWorkspaceView[];
  targetDigest: string | null;
}) {
  return (
    <DataTable
      caption={`Workspaces of ring ${ringName}`}
      testId={`ring-workspaces-${ringName}`}
      columns={COLUMNS}
      rows={workspaces}
      empty="No workspace of this template is in this ring."
    >
      {(ws) => (
        <tr key={ws.id} data-testid={`ring-workspace-${ws.id}`} data-state={ws.state} data-digest={ws.digest ?? ""}>
          <Td>
            <div className="font-medium text-slate-900">{ws.name}</div>
            <div className="font-mono text-[11px] text-slate-400" title={ws.id}>
              {ws.id.slice(0, 8)}
            </div>
            {ws.gateReason && (
              <p className="mt-1 text-xs text-red-700" data-testid="gate-reason">
                {ws.gateReason}
              </p>
            )}
            {failing(ws) && ws.lastLogLines && ws.lastLogLines.length > 0 && (
              <pre
                data-testid="last-log-lines"
                className="mt-1 max-h-32 max-w-xl overflow-auto rounded bg-slate-900 p-2 font-mono text-[11px] leading-snug text-slate-100"
              >
                {ws.lastLogLines.join("\n")}
              </pre>
            )}
          </Td>
          <Td className="font-mono text-xs text-slate-700">{ws.host}</Td>
          <Td>
            <WorkspaceStatusBadge status={ws.state} />
          </Td>
          <Td data-testid="workspace-health">
            {ws.health ? (
              <Badge tone={HEALTH_TONES[ws.health] ?? "neutral"}>{ws.health}</Badge>
            ) : (
              <span className="text-xs text-slate-400">not looked at yet</span>
            )}
          </Td>
          <Td className="font-mono text-[11px] text-slate-500" title={ws.containerId ?? undefined}>
            {ws.containerId ? ws.containerId.slice(0, 12) : "none"}
          </Td>
          <Td>
            <DigestText digest={ws.digest} empty="not recorded" />
            {targetDigest && ws.digest && ws.digest !== targetDigest && (
              <div className="text-[11px] text-slate-400">not on this ring&apos;s target</div>
            )}
          </Td>
        </tr>
      )}
    </DataTable>
  );
}
