import type { GateObservation, RolloutRingStatus, RolloutStatus } from "@/lib/domain/rollout-machine";

// What the rollout pages show, as plain props. These mirror the read model of lib/db/rollouts/read.ts
// (the rings interface contract) field by field; components may not import lib/db, and the server
// pages pass that read model here unchanged (TypeScript checks the two stay compatible there).

export type { RolloutRingStatus, RolloutStatus };

export type RolloutWorkspaceView = {
  id: string;
  name: string;
  host: string;
  state: string;
  health: string | null;
  containerId: string | null;
  digest: string | null;
  lastLogLines: string[] | null;
  /** Why the bake gate failed it, when it did. */
  gateReason?: string | null;
};

export type RolloutRingView = {
  position: number;
  name: string;
  status: RolloutRingStatus;
  targetDigest: string | null;
  bakeSeconds: number;
  autoAdvance: boolean;
  startedAt: Date | null;
  bakeStartedAt: Date | null;
  bakeUntil: Date | null;
  operationId: string | null;
  gate: GateObservation | null;
  workspaces: RolloutWorkspaceView[];
};

export type RolloutSummary = {
  id: string;
  templateName: string;
  fromDigest: string | null;
  toDigest: string;
  actor: string;
  reason: string;
  status: RolloutStatus;
  currentRing: number;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

export type RolloutView = RolloutSummary & { rings: RolloutRingView[] };

/** A list row: the rollout without its rings' details, with the rings' names in order. */
export type RolloutListRow = RolloutSummary & { ringNames: string[] };

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
