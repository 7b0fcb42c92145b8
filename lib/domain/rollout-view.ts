import type { GateObservation, RolloutRingStatus, RolloutStatus } from "./rollout-machine";

// What the pages and the API show of a rollout (issue 18): the read model lib/db/rollouts/read.ts
// builds and the components render. Here, in the pure vocabulary, because components may not
// import lib/db and one definition keeps the two from drifting.

export type RolloutWorkspaceView = {
  id: string;
  name: string;
  host: string;
  /** The workspace's status (running, down, …). */
  state: string;
  /** What the bake gate last saw of it (healthy, running, restarted, exited, unhealthy, …); null before. */
  health: string | null;
  containerId: string | null;
  /** The digest it runs now. */
  digest: string | null;
  lastLogLines: string[] | null;
  /** Why the gate failed it, when it did. */
  gateReason?: string | null;
  /** The digest it should run while the rollout is active (null: its ring has not started, the pin is). */
  targetDigest?: string | null;
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
  failureBudget?: number;
  maxUnavailable?: number;
  gateCheckedAt?: Date | null;
  finishedAt?: Date | null;
};

export type RolloutView = {
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
  rings: RolloutRingView[];
  pinMovedAt?: Date | null;
  rollbackOperationId?: string | null;
};

/** A rollout without its rings' details. */
export type RolloutHeader = Omit<RolloutView, "rings">;

/** A list row: the rollout without its rings' details, with the rings' names in order. */
export type RolloutListRow = RolloutHeader & { ringNames: string[] };

/** A workspace a ring's bake is waiting on, with the host that did not answer. */
export type BakeWait = { id: string; name: string; host: string };

/**
 * The workspaces a ring's bake cannot judge: their Docker host did not answer at the gate's last
 * look. Such a workspace neither passes nor fails the bake, so a ring whose bake time is over
 * waits for it with nothing else to show; the page names them and their hosts. Ids the ring no
 * longer lists (removed since) are shown by id. No I/O.
 */
export function bakeWaitingOn(ring: Pick<RolloutRingView, "gate" | "workspaces">): BakeWait[] {
  const known = new Map(ring.workspaces.map((ws) => [ws.id, ws]));
  return (ring.gate?.unknown ?? []).map((id) => {
    const ws = known.get(id);
    return { id, name: ws?.name ?? id.slice(0, 8), host: ws?.host ?? "unknown host" };
  });
}

/** "h3 (ws-a, ws-b); h4 (ws-c)": the waits grouped by host, in first-seen order. */
export function describeBakeWaits(waits: readonly BakeWait[]): string {
  const byHost = new Map<string, string[]>();
  for (const wait of waits) byHost.set(wait.host, [...(byHost.get(wait.host) ?? []), wait.name]);
  return [...byHost].map(([host, names]) => `${host} (${names.join(", ")})`).join("; ");
}
