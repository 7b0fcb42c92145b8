import "server-only";

import type { Db } from "@/lib/db/client";
import { recordGateTx } from "@/lib/db/rollouts/ring-writes";
import { loadRolloutState, machineInputOf, type RolloutState } from "@/lib/db/rollouts/state";
import { errorMessage, isFleetpinError } from "@/lib/domain/errors";
import { nextRolloutAction, type RolloutAction } from "@/lib/domain/rollout-machine";
import { getLogger } from "@/lib/log/logger";

import { applyAction } from "./apply";
import { lookAtGate, type GateLook } from "./bake-gate";
import type { RolloutDeps } from "./deps";

// The rollout engine (issue 18): read the state, ask the pure machine (lib/domain/rollout-machine)
// for the next step, do it, and ask again, until the machine says wait or idle. Every step is one
// transaction that applies only if the rollout is still as it was read (lockUnchanged), so two
// processes, or a tick and an operator, never apply one step twice.

/** More steps than any one tick needs (start → bake → pass → advance → start …); a guard against a loop. */
const MAX_STEPS = 12;

export type TickResult = { steps: RolloutAction[]; error?: string };

export async function tickRollout(db: Db, id: string, deps: RolloutDeps = {}): Promise<TickResult> {
  const steps: RolloutAction[] = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    const state = await loadRolloutState(db, id);
    if (!state) break;
    const look = await lookIfBaking(db, state, deps);
    const action = nextRolloutAction(machineInputOf(state, look?.gate ?? null));
    steps.push(action);
    if (action.type === "idle" || action.type === "wait") break;
    try {
      if (!(await applyAction(db, state, action, look, deps))) break;
    } catch (error) {
      // An expected refusal (every member busy in another operation, a host down) is retried on the next tick.
      const message = errorMessage(error);
      getLogger({ source: "rollouts" })[isFleetpinError(error) ? "warn" : "error"](
        { event: "rollout_step_failed", rolloutId: id, action: action.type, error: message },
        `rollout ${id}: ${action.type} failed: ${message}`,
      );
      return { steps, error: message };
    }
  }
  return { steps };
}

/** The gate is looked at on every tick of a running rollout whose current ring bakes (not while paused). */
async function lookIfBaking(db: Db, state: RolloutState, deps: RolloutDeps): Promise<GateLook | null> {
  const ring = state.rings[state.currentRing];
  if (state.status !== "running" || state.rollbackEnding || ring?.status !== "baking") return null;
  const look = await lookAtGate(
    db,
    { rolloutId: state.id, position: ring.position, operationId: ring.operationId, probe: ring.probe ?? null },
    deps,
  );
  await db.$transaction((tx) => recordGateTx(tx, state.id, ring.position, look.gate, look.members));
  return look;
}
