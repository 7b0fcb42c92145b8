import { cn } from "@/components/ui/cn";
import { TimeAgo } from "@/components/ui/time-ago";

import { BakeCountdown } from "./bake-countdown";
import { RingStatusBadge } from "./rollout-status-badge";
import type { RolloutRingView } from "./types";

const DOT: Record<RolloutRingView["status"], string> = {
  pending: "bg-slate-200",
  reprovisioning: "bg-sky-500 animate-pulse",
  baking: "bg-sky-500 animate-pulse",
  waiting: "bg-amber-400",
  passed: "bg-emerald-500",
  failed: "bg-red-600",
  rolled_back: "bg-red-400",
  skipped: "bg-slate-300",
};

function bakeText(seconds: number): string {
  if (seconds === 0) return "no bake";
  if (seconds % 60 === 0) return `bake ${seconds / 60} min`;
  return `bake ${seconds} s`;
}

/**
 * The rings of one rollout left to right, in order: each ring's status, its bake (a live countdown
 * while it bakes), whether it advances by itself, and when it started. The current ring is outlined.
 */
export function RolloutTimeline({ rings, currentRing }: { rings: RolloutRingView[]; currentRing: number }) {
  return (
    <ol className="flex flex-wrap gap-2 p-4" data-testid="rollout-timeline" aria-label="Rings of this rollout">
      {rings.map((ring, index) => (
        <li
          key={ring.position}
          data-testid={`timeline-ring-${ring.name}`}
          data-status={ring.status}
          aria-current={index === currentRing ? "step" : undefined}
          className={cn(
            "flex min-w-44 flex-1 flex-col gap-1 rounded-md border px-3 py-2",
            index === currentRing ? "border-slate-900 shadow-sm" : "border-slate-200",
          )}
        >
          <div className="flex items-center gap-2">
            <span aria-hidden className={cn("size-2.5 rounded-full", DOT[ring.status])} />
            <span className="text-sm font-semibold text-slate-900">
              {index + 1}. {ring.name}
            </span>
            <span className="ml-auto">
              <RingStatusBadge status={ring.status} testId={`ring-status-${ring.name}`} />
            </span>
          </div>
          <div className="text-xs text-slate-500">
            {bakeText(ring.bakeSeconds)} · {ring.autoAdvance ? "advances by itself" : "waits for Advance"} ·{" "}
            {ring.workspaces.length} workspace{ring.workspaces.length === 1 ? "" : "s"}
          </div>
          {ring.status === "baking" && ring.bakeUntil && (
            <BakeCountdown bakeUntil={ring.bakeUntil} testId={`bake-countdown-${ring.name}`} />
          )}
          {ring.startedAt && (
            <div className="text-[11px] text-slate-400">
              started <TimeAgo date={ring.startedAt} />
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
