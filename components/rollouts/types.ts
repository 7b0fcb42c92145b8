import type { RolloutRingStatus, RolloutStatus } from "@/lib/domain/rollout-machine";

// What the rollout pages show, as plain props: the read model of lib/domain/rollout-view.ts, which
// lib/db/rollouts/read.ts builds.

export type { RolloutRingStatus, RolloutStatus };

export type {
  RolloutHeader as RolloutSummary,
  RolloutListRow,
  RolloutRingView,
  RolloutView,
  RolloutWorkspaceView,
} from "@/lib/domain/rollout-view";

/** The operator controls each status offers; the engine refuses the rest with a conflict anyway. */
export function controlsFor(status: RolloutStatus): {
  pause: boolean;
  resume: boolean;
  abort: boolean;
  advance: boolean;
} {
  return {
    pause: status === "running",
    resume: status === "paused",
    abort: status === "running" || status === "paused",
    advance: status === "running" || status === "paused",
  };
}
