import "server-only";

import type { Db } from "@/lib/db/client";
import { enqueueReprovisionTx } from "@/lib/db/operations/enqueue-reprovision";
import { addNewcomersTx, ringMemberIds } from "@/lib/db/rollouts/members";
import {
  advanceTx,
  beginBakeTx,
  passRingTx,
  recordMembershipTx,
  startRingTx,
  succeedTx,
} from "@/lib/db/rollouts/ring-writes";
import {
  finishRollbackTx,
  movedMemberIds,
  requestRollbackTx,
  startRollbackTx,
} from "@/lib/db/rollouts/rollback-writes";
import { lockUnchanged, type RolloutState } from "@/lib/db/rollouts/state";
import { passedRingStatus, type RolloutAction } from "@/lib/domain/rollout-machine";
import type { Prisma } from "@/lib/generated/prisma/client";

import { takeBaselines, type GateLook } from "./bake-gate";
import { startOperationOf, type RolloutDeps } from "./deps";
import { computeMembership } from "./membership";

/** Who the audit log names for what the engine decides by itself (a failed gate). */
export const ENGINE_ACTOR = "fleetpin:rollouts";

type Tx = Prisma.TransactionClient;

/**
 * Does one step the machine asked for. Returns false when the rollout changed under it (the
 * step was not applied; the next tick reads again). I/O (inspects, membership) happens before
 * the transaction; operations are handed to the runner only after it commits.
 */
export async function applyAction(
  db: Db,
  state: RolloutState,
  action: RolloutAction,
  look: GateLook | null,
  deps: RolloutDeps,
): Promise<boolean> {
  const inTx = async (work: (tx: Tx) => Promise<string | null | void>) => {
    let operationId: string | null | void = null;
    const applied = await db.$transaction(async (tx) => {
      if (!(await lockUnchanged(tx, state))) return false;
      operationId = await work(tx);
      return true;
    });
    if (applied && operationId) startOperationOf(deps)(operationId);
    return applied;
  };
  switch (action.type) {
    case "start_ring":
      return startRing(db, state, action.ring, action.movesPin, deps, inTx);
    case "begin_bake": {
      const ring = state.rings[action.ring]!;
      const baselines = await takeBaselines(db, state.id, ring.position, ring.operationId, deps);
      const bake = { startedAt: action.bakeStartedAt, until: action.bakeUntil };
      return inTx((tx) => beginBakeTx(tx, state, action.ring, bake, baselines));
    }
    case "pass_ring":
      return inTx((tx) => passRingTx(tx, state, action.ring, passedRingStatus(action.then) as "passed" | "waiting"));
    case "advance":
      return inTx((tx) => advanceTx(tx, state.id, action.to));
    case "succeed":
      return inTx((tx) => succeedTx(tx, state));
    case "fail_ring": {
      const ring = state.rings[action.ring]!;
      const request = {
        ending: "rolled_back" as const,
        why: `ring ${ring.name}: ${action.why}`,
        actor: ENGINE_ACTOR,
        failedRing: { position: action.ring, gate: look?.gate ?? null },
        quarantine: true,
      };
      return inTx((tx) => requestRollbackTx(tx, state, request));
    }
    case "start_rollback":
      return inTx(async (tx) => {
        const ids = await movedMemberIds(tx, state.id);
        const input = { workspaceIds: ids, digest: state.fromDigest, concurrency: 0, why: "roll back" };
        const operationId = await enqueueForRollout(tx, state, input, deps);
        await startRollbackTx(tx, state, operationId);
        return operationId;
      });
    case "finish_rollback":
      return inTx((tx) => finishRollbackTx(tx, state, action.status));
    case "idle":
    case "wait":
      return false;
  }
}

async function startRing(
  db: Db,
  state: RolloutState,
  position: number,
  movesPin: boolean,
  deps: RolloutDeps,
  inTx: (work: (tx: Tx) => Promise<string | null | void>) => Promise<boolean>,
): Promise<boolean> {
  // Membership is worked out once, when the first ring starts; the last ring also takes every
  // workspace of the template created since (it holds the rest), so none is left on the old digest.
  const known = await db.rolloutWorkspace.count({ where: { rolloutId: state.id } });
  const membership = known === 0 ? await computeMembership(db, state.templateName, state.rings, deps) : [];
  const ring = state.rings[position]!;
  return inTx(async (tx) => {
    await recordMembershipTx(tx, state.id, membership);
    if (movesPin) await addNewcomersTx(tx, state, position);
    const input = {
      workspaceIds: await ringMemberIds(tx, state.id, position),
      digest: state.toDigest,
      concurrency: ring.maxUnavailable,
      why: `ring ${ring.name}`,
    };
    const operationId = await enqueueForRollout(tx, state, input, deps);
    await startRingTx(tx, state, position, operationId, movesPin);
    return operationId;
  });
}

/** Records a reprovision of `workspaceIds` to `digest` for the rollout, inside `tx`; null when there is none to do. */
async function enqueueForRollout(
  tx: Tx,
  state: RolloutState,
  input: { workspaceIds: string[]; digest: string | null; concurrency: number; why: string },
  deps: RolloutDeps,
): Promise<string | null> {
  if (input.workspaceIds.length === 0) return null;
  const result = await enqueueReprovisionTx(
    tx,
    {
      workspaceIds: input.workspaceIds,
      targetDigest: input.digest,
      rolloutId: state.id,
      reason: `rollout ${state.id}: ${input.why}`.slice(0, 500),
      ...(input.concurrency > 0 ? { concurrency: input.concurrency } : {}),
    },
    state.actor,
    deps.env,
  );
  return result.operationId;
}
