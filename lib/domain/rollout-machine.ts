/**
 * The rollout state machine (issue 18), pure: given what the database says about a rollout,
 * the time (passed in, from the database's clock) and what the bake gate saw, the one next
 * step. The engine (lib/rollouts) does that step, writes it, and asks again; nothing here
 * reads a clock or does I/O, so every transition is table-tested.
 */

export type RolloutStatus = "running" | "paused" | "succeeded" | "rolled_back" | "aborted";
export type RolloutRingStatus =
  "pending" | "reprovisioning" | "baking" | "waiting" | "passed" | "failed" | "rolled_back" | "skipped";

/** Running and paused rollouts hold their template: only one of them per template. */
export const ACTIVE_ROLLOUT_STATUSES: RolloutStatus[] = ["running", "paused"];

export type GateFailure = { workspaceId: string; reason: string };
/** What one look at a baking ring's containers found (see lib/rollouts/bake-gate.ts). */
/** `unknown`: workspaces whose engine could not be asked; they neither fail nor pass the bake. */
export type GateObservation = { ok: boolean; failures: GateFailure[]; unknown?: string[] };

export type MachineRing = {
  status: RolloutRingStatus;
  bakeSeconds: number;
  failureBudget: number;
  autoAdvance: boolean;
  /** The ring's reprovision operation, once started: null before. `members` 0 = nothing to move. */
  reprovision: { members: number; finished: boolean; finishedAt: Date | null; failed: number } | null;
  bakeUntil: Date | null;
};

export type MachineInput = {
  status: RolloutStatus;
  currentRing: number;
  rings: MachineRing[];
  now: Date;
  /** The current ring's gate, looked at just now (only while it bakes). */
  gate: GateObservation | null;
  /** Set once the rollout is to be rolled back (a failed ring or an abort). */
  rollback: { ending: "rolled_back" | "aborted"; started: boolean; finished: boolean } | null;
};

export type RolloutAction =
  | { type: "idle"; why: string }
  | { type: "wait"; ring: number; until: Date | null; why: string }
  | { type: "start_ring"; ring: number; movesPin: boolean }
  | { type: "begin_bake"; ring: number; bakeStartedAt: Date; bakeUntil: Date }
  | { type: "pass_ring"; ring: number; then: "advance" | "wait_operator" | "succeed" }
  | { type: "advance"; from: number; to: number }
  | { type: "succeed" }
  | { type: "fail_ring"; ring: number; why: string; failures: GateFailure[] }
  | { type: "start_rollback" }
  | { type: "finish_rollback"; status: "rolled_back" | "aborted" };

export function nextRolloutAction(input: MachineInput): RolloutAction {
  const { status, currentRing: k, rings } = input;
  if (status === "succeeded" || status === "rolled_back" || status === "aborted") {
    return { type: "idle", why: `the rollout has ended (${status.replace("_", " ")})` };
  }
  if (input.rollback) return rollbackStep(input);
  if (status === "paused") return { type: "idle", why: "paused by an operator" };
  const ring = rings[k];
  if (!ring) return { type: "succeed" };
  const last = k === rings.length - 1;
  switch (ring.status) {
    case "pending":
      return { type: "start_ring", ring: k, movesPin: last };
    case "reprovisioning":
      return afterReprovision(k, ring, last);
    case "baking":
      return bakeStep(input, k, ring, last);
    case "waiting":
      return { type: "idle", why: "waiting for an operator to advance" };
    case "passed":
      return last ? { type: "succeed" } : { type: "advance", from: k, to: k + 1 };
    case "failed":
      // A failed ring always comes with a rollback; without one (written by hand?) roll back now.
      return { type: "fail_ring", ring: k, why: "the ring had failed", failures: [] };
    case "rolled_back":
    case "skipped":
      return { type: "idle", why: `the current ring is ${ring.status.replace("_", " ")}` };
  }
}

function afterReprovision(k: number, ring: MachineRing, last: boolean): RolloutAction {
  const op = ring.reprovision;
  if (!op || !op.finished || op.finishedAt === null) {
    return { type: "wait", ring: k, until: null, why: "reprovisioning the ring" };
  }
  if (op.failed > ring.failureBudget) {
    const why = `${op.failed} of ${op.members} reprovisions failed (failure budget ${ring.failureBudget})`;
    return { type: "fail_ring", ring: k, why, failures: [] };
  }
  // Nothing to watch: an empty ring passes without a bake.
  if (op.members === 0) return { type: "pass_ring", ring: k, then: passThen(ring, last) };
  // The bake is measured from the ring's last reprovision, on the database's clock.
  const bakeUntil = new Date(op.finishedAt.getTime() + ring.bakeSeconds * 1000);
  return { type: "begin_bake", ring: k, bakeStartedAt: op.finishedAt, bakeUntil };
}

function bakeStep(input: MachineInput, k: number, ring: MachineRing, last: boolean): RolloutAction {
  const gate = input.gate;
  if (gate && !gate.ok) {
    const names = gate.failures.map((failure) => failure.reason).slice(0, 3);
    return { type: "fail_ring", ring: k, why: `bake gate failed: ${names.join("; ")}`, failures: gate.failures };
  }
  if (ring.bakeUntil === null) return { type: "wait", ring: k, until: null, why: "the bake has no end recorded" };
  if (input.now.getTime() < ring.bakeUntil.getTime()) {
    return { type: "wait", ring: k, until: ring.bakeUntil, why: "baking" };
  }
  // The end of the bake counts only with a look at the containers taken at or after it.
  if (!gate) return { type: "wait", ring: k, until: null, why: "the bake gate has not been looked at" };
  if ((gate.unknown?.length ?? 0) > 0) {
    return { type: "wait", ring: k, until: null, why: "some workspaces' engines cannot be reached" };
  }
  return { type: "pass_ring", ring: k, then: passThen(ring, last) };
}

function passThen(ring: MachineRing, last: boolean): "advance" | "wait_operator" | "succeed" {
  if (last) return "succeed";
  return ring.autoAdvance ? "advance" : "wait_operator";
}

function rollbackStep(input: MachineInput): RolloutAction {
  const rollback = input.rollback!;
  if (rollback.finished) return { type: "finish_rollback", status: rollback.ending };
  if (rollback.started) return { type: "wait", ring: input.currentRing, until: null, why: "rolling back" };
  // A ring still reprovisioning holds its workspaces (one run per workspace): let it end first.
  const busy = input.rings.findIndex((ring) => ring.reprovision !== null && !ring.reprovision.finished);
  if (busy >= 0) {
    return { type: "wait", ring: busy, until: null, why: "letting the running reprovision end before rolling back" };
  }
  return { type: "start_rollback" };
}

/** The ring status a passed ring takes: waiting when an operator must advance it. */
export function passedRingStatus(then: "advance" | "wait_operator" | "succeed"): RolloutRingStatus {
  return then === "wait_operator" ? "waiting" : "passed";
}

/**
 * The current ring's bake when a paused rollout resumes; null when it is not baking (nothing
 * to move). While paused the gate is not looked at, so bake time spent paused went unwatched.
 * The bake RESTARTS in full from the resume rather than being pushed back by the pause's
 * length: an operator pauses because something looked wrong, and a whole fresh bake is the
 * one that proves it right; it also needs no record of when the pause began, and a ring whose
 * bake ran out during the pause cannot pass on the next tick. The baselines taken when the bake
 * first began stay, so a container restarted or replaced during the pause still fails the gate.
 */
export function resumedBake(
  ring: Pick<MachineRing, "status" | "bakeSeconds">,
  now: Date,
): { bakeStartedAt: Date; bakeUntil: Date } | null {
  if (ring.status !== "baking") return null;
  return { bakeStartedAt: now, bakeUntil: new Date(now.getTime() + ring.bakeSeconds * 1000) };
}
