import { Badge } from "@/components/ui/badge";
import { bakeWaitingOn, describeBakeWaits } from "@/lib/domain/rollout-view";

import type { RolloutRingView } from "./types";

function namedIn(reason: string, name: string | undefined): boolean {
  return name !== undefined && reason.startsWith(name);
}

/**
 * The bake gate of each ring that has been looked at: healthy so far (baking), passed, or the workspaces that failed it and why
 * (stopped, restarted, unhealthy, probe answered 503, …). Rings not yet judged are left out.
 */
export function GateResults({ rings }: { rings: RolloutRingView[] }) {
  const judged = rings.filter((ring) => ring.gate !== null);
  if (judged.length === 0) return <p className="p-4 text-sm text-slate-500">No ring has finished its bake yet.</p>;
  const nameOf = new Map(rings.flatMap((ring) => ring.workspaces.map((ws) => [ws.id, ws.name] as const)));
  return (
    <ul className="divide-y divide-slate-100" data-testid="gate-results">
      {judged.map((ring) => (
        <li key={ring.position} className="px-4 py-3" data-testid={`gate-${ring.name}`} data-ok={String(ring.gate!.ok)}>
          <div className="flex items-center gap-2 text-sm">
            <span className="font-medium text-slate-900">{ring.name}</span>
            {/* The gate is looked at on every tick of the bake: until it ends, ok only means "so far". */}
            {!ring.gate!.ok ? (
              <Badge tone="danger">gate failed</Badge>
            ) : ring.status === "baking" ? (
              <Badge tone="info">healthy so far</Badge>
            ) : (
              <Badge tone="success">gate passed</Badge>
            )}
          </div>
          <BakeWaits ring={ring} />
          {ring.gate!.failures.length > 0 && (
            <ul className="mt-1 space-y-0.5 text-xs text-red-800">
              {ring.gate!.failures.map((failure) => (
                <li key={failure.workspaceId}>
                  {/* The engine's reasons start with the workspace's name already; others get it here. */}
                  {namedIn(failure.reason, nameOf.get(failure.workspaceId)) ? (
                    failure.reason
                  ) : (
                    <>
                      <span className="font-medium">
                        {nameOf.get(failure.workspaceId) ?? failure.workspaceId.slice(0, 8)}
                      </span>
                      : {failure.reason}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Workspaces whose Docker host did not answer at the gate's last look: they neither pass nor fail
 * the bake, so the ring keeps waiting for them after its bake time; say so, and what ends the wait.
 */
function BakeWaits({ ring }: { ring: RolloutRingView }) {
  const waits = bakeWaitingOn(ring);
  if (waits.length === 0) return null;
  return (
    <p className="mt-1 text-xs text-amber-800" data-testid={`bake-waits-${ring.name}`}>
      Waiting for {waits.length === 1 ? "1 workspace" : `${waits.length} workspaces`} whose Docker host did not answer:{" "}
      {describeBakeWaits(waits)}. The bake neither passes nor fails them until their host answers; advance or abort the
      rollout to decide now.
    </p>
  );
}
