import "server-only";

import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { resumedBake } from "@/lib/domain/rollout-machine";
import type { Prisma } from "@/lib/generated/prisma/client";

import { audit } from "./ring-writes";
import { requestRollbackTx } from "./rollback-writes";
import { loadRolloutState, type RolloutState } from "./state";

// The operator's controls on a rollout (issue 18), each audited in its own transaction with the
// rollout row locked, so a control and an engine step never interleave.

type Tx = Prisma.TransactionClient;

async function lockedState(tx: Tx, id: string): Promise<RolloutState> {
  // Raw: FOR UPDATE serializes the controls and the engine on this rollout; the model API cannot lock.
  const locked = /^[0-9a-f-]{36}$/i.test(id)
    ? await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM rollouts WHERE id = ${id}::uuid FOR UPDATE`
    : [];
  const state = locked.length > 0 ? await loadRolloutState(tx, id) : null;
  if (!state) throw new NotFoundError(`Rollout ${id} does not exist.`);
  return state;
}

function requireActive(state: RolloutState, doing: string): void {
  if (state.status !== "running" && state.status !== "paused") {
    throw new ConflictError(
      `Rollout ${state.id} has ended (${state.status.replace("_", " ")}); it cannot be ${doing}.`,
    );
  }
  if (state.rollbackEnding) {
    throw new ConflictError(`Rollout ${state.id} is rolling back; it cannot be ${doing}.`);
  }
}

/** Stops the rollout where it is: nothing more starts or passes until it is resumed. */
export async function pauseRolloutTx(db: Db, id: string, actor: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const state = await lockedState(tx, id);
    requireActive(state, "paused");
    if (state.status === "paused") throw new ConflictError(`Rollout ${id} is already paused.`);
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`
      UPDATE rollouts SET status = 'paused', status_reason = ${reason}, updated_at = clock_timestamp() WHERE id = ${id}::uuid`;
    await audit(tx, state, "rollout.paused", { status: "paused" }, { actor, reason });
    await recordEvent(tx, "rollout.paused", { template: state.templateName, rollout_id: id, actor, reason });
  });
}

export async function resumeRolloutTx(db: Db, id: string, actor: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const state = await lockedState(tx, id);
    requireActive(state, "resumed");
    if (state.status !== "paused") throw new ConflictError(`Rollout ${id} is not paused.`);
    // The bake the pause interrupted starts over from now, on the database's clock (resumedBake says why).
    const ring = state.rings[state.currentRing];
    const bake = ring ? resumedBake(ring, state.now) : null;
    if (ring && bake) {
      await tx.rolloutRing.updateMany({
        where: { rolloutId: id, position: ring.position },
        data: { bakeStartedAt: bake.bakeStartedAt, bakeUntil: bake.bakeUntil },
      });
    }
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`
      UPDATE rollouts SET status = 'running', status_reason = NULL, updated_at = clock_timestamp() WHERE id = ${id}::uuid`;
    const restarted =
      ring && bake ? { bakeRestarted: { ring: ring.name, bakeUntil: bake.bakeUntil.toISOString() } } : {};
    await audit(tx, state, "rollout.resumed", { status: "running", ...restarted }, { actor });
  });
}

/** Abort = roll back: every ring already moved goes back to the old digest (not quarantined: an operator's call). */
export async function abortRolloutTx(db: Db, id: string, actor: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const state = await lockedState(tx, id);
    requireActive(state, "aborted");
    await requestRollbackTx(tx, state, { ending: "aborted", why: `aborted: ${reason}`, actor, quarantine: false });
  });
}

/**
 * Passes the current ring now (a ring waiting for an operator, or one still baking: advance
 * early), with a reason; the next ring starts on the engine's next tick. A paused rollout runs again.
 */
export async function advanceRolloutTx(db: Db, id: string, actor: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const state = await lockedState(tx, id);
    requireActive(state, "advanced");
    const ring = state.rings[state.currentRing];
    if (!ring || (ring.status !== "baking" && ring.status !== "waiting")) {
      const where = ring ? `ring ${ring.name} is ${ring.status.replace("_", " ")}` : "no ring is current";
      throw new ConflictError(`Rollout ${id} cannot advance now: ${where} (only a baking or waiting ring can).`);
    }
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`
      UPDATE rollout_rings SET status = 'passed', finished_at = clock_timestamp()
      WHERE rollout_id = ${id}::uuid AND position = ${ring.position}`;
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`
      UPDATE rollouts SET status = 'running', status_reason = NULL, updated_at = clock_timestamp() WHERE id = ${id}::uuid`;
    await audit(tx, state, "rollout.advanced", { ring: ring.name, from: ring.status }, { actor, reason });
  });
}
