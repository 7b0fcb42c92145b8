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
  await resumeRolloutTx(db, id, actor);
  await tickRollout(db, id, deps);
  return viewOf(db, id);
}

/** Abort = roll back: every ring already moved goes back to the old digest; the rollout ends `aborted`. */
export async function abortRollout(
  db: Db,
  id: string,
  actor: string,
  reason: string,
  deps: RolloutDeps = {},
): Promise<RolloutView> {
  await abortRolloutTx(db, id, actor, normalizeReason(reason) as string);
  await tickRollout(db, id, deps);
  return viewOf(db, id);
}

/** Passes the current (baking or waiting) ring now, with a reason; the next ring starts. */
export async function advanceRollout(
  db: Db,
  id: string,
  actor: string,
  reason: string,
  deps: RolloutDeps = {},
): Promise<RolloutView> {
  await advanceRolloutTx(db, id, actor, normalizeReason(reason) as string);
  await tickRollout(db, id, deps);
  return viewOf(db, id);
}

async function viewOf(db: Db, id: string): Promise<RolloutView> {
  const view = await getRollout(db, id);
  if (!view) throw new NotFoundError(`Rollout ${id} does not exist.`);
  return view;
}
