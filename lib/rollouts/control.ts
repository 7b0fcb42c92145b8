import "server-only";

import type { Db } from "@/lib/db/client";
import { abortRolloutTx, advanceRolloutTx, pauseRolloutTx, resumeRolloutTx } from "@/lib/db/rollouts/control";
import { getRollout, type RolloutView } from "@/lib/db/rollouts/read";
import { NotFoundError } from "@/lib/domain/errors";
import { normalizeReason } from "@/lib/domain/reason";

import type { RolloutDeps } from "./deps";
import { tickRollout } from "./engine";

// The operator's controls (pages and API call these): each is audited in its own transaction
// (lib/db/rollouts/control.ts; NotFoundError, or ConflictError in a wrong state), then the engine
// takes one tick so an abort starts rolling back, or an advance starts the next ring, right away.

export async function pauseRollout(db: Db, id: string, actor: string, reason: string): Promise<RolloutView> {
  await pauseRolloutTx(db, id, actor, normalizeReason(reason) as string);
  return viewOf(db, id);
}

export async function resumeRollout(db: Db, id: string, actor: string, deps: RolloutDeps = {}): Promise<RolloutView> {
  return changeThenTick(db, id, deps, () => resumeRolloutTx(db, id, actor));
}

/** Abort = roll back: every ring already moved goes back to the old digest; the rollout ends `aborted`. */
export const abortRollout = controlWithReason(abortRolloutTx);

/** Passes the current (baking or waiting) ring now, with a reason; the next ring starts. */
export const advanceRollout = controlWithReason(advanceRolloutTx);

/** A control that takes the operator's reason (normalized as every reason is), then ticks. */
function controlWithReason(changeTx: (db: Db, id: string, actor: string, reason: string) => Promise<unknown>) {
  return (db: Db, id: string, actor: string, reason: string, deps: RolloutDeps = {}): Promise<RolloutView> =>
    changeThenTick(db, id, deps, () => changeTx(db, id, actor, normalizeReason(reason) as string));
}

/** The audited change, then one engine tick so it takes effect at once; the rollout as it then stands. */
async function changeThenTick(
  db: Db,
  id: string,
  deps: RolloutDeps,
  change: () => Promise<unknown>,
): Promise<RolloutView> {
  await change();
  await tickRollout(db, id, deps);
  return viewOf(db, id);
}

async function viewOf(db: Db, id: string): Promise<RolloutView> {
  const view = await getRollout(db, id);
  if (!view) throw new NotFoundError(`Rollout ${id} does not exist.`);
  return view;
}
