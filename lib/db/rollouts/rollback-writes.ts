import "server-only";

import { quarantineDigestTx } from "@/lib/db/ledger/quarantine";
import { moveRolloutPinTx } from "@/lib/db/pins";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import type { GateObservation } from "@/lib/domain/rollout-machine";
import type { Prisma } from "@/lib/generated/prisma/client";

import { audit, touch } from "./ring-writes";
import type { RolloutState } from "./state";

// Stopping a rollout and putting back what it moved (issue 18): a failed ring (automatic) or an
// abort (an operator) asks for the rollback; once no ring's reprovision runs any more, the moved
// rings are reprovisioned to the old digest; when that operation ends, the rollout ends.

type Tx = Prisma.TransactionClient;

/** Rings whose workspaces were (or are being) moved to the new digest. */
const MOVED = ["reprovisioning", "baking", "waiting", "passed", "failed"];

export type RollbackRequest = {
  ending: "rolled_back" | "aborted";
  why: string;
  actor: string;
  /** The ring that failed (automatic rollback), with what its gate saw. */
  failedRing?: { position: number; gate: GateObservation | null } | null;
  /** Quarantine the new digest (a failed ring: it is known bad). */
  quarantine: boolean;
};

/**
 * Pauses the rollout with the rollback asked for: the failed ring is marked, rings not started
 * are skipped, the new digest is quarantined when it failed, and the webhook is sent, all with
 * the audit row in one transaction. The reprovisions back come in startRollbackTx.
 */
export async function requestRollbackTx(tx: Tx, state: RolloutState, request: RollbackRequest): Promise<void> {
  if (request.failedRing) {
    const { position, gate } = request.failedRing;
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`
      UPDATE rollout_rings SET status = 'failed', finished_at = clock_timestamp(),
             gate = coalesce(${gate ? JSON.stringify(gate) : null}::jsonb, gate)
      WHERE rollout_id = ${state.id}::uuid AND position = ${position}`;
  }
  await tx.rolloutRing.updateMany({ where: { rolloutId: state.id, status: "pending" }, data: { status: "skipped" } });
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollouts SET status = 'paused', status_reason = ${request.why}, rollback_ending = ${request.ending},
           rollback_requested_at = clock_timestamp(), updated_at = clock_timestamp()
    WHERE id = ${state.id}::uuid`;
  if (request.quarantine) {
    const reason = `rollout ${state.id} failed: ${request.why}`.slice(0, 500);
    await quarantineDigestTx(tx, { templateName: state.templateName, digest: state.toDigest, reason }, request.actor);
  }
  const failures = request.failedRing?.gate?.failures ?? [];
  await audit(
    tx,
    state,
    request.ending === "aborted" ? "rollout.aborted" : "rollout.failed",
    { ring: request.failedRing ? state.rings[request.failedRing.position]!.name : null, failures },
    { actor: request.actor, reason: request.why },
  );
  await recordEvent(tx, "rollout.rolled_back", {
    template: state.templateName,
    rollout_id: state.id,
    from_digest: state.fromDigest,
    to_digest: state.toDigest,
    ring: request.failedRing ? state.rings[request.failedRing.position]!.name : null,
    failures,
    actor: request.actor,
    reason: request.why,
  });
}

/** The members of the rings already moved: what the rollback reprovisions. */
export async function movedMemberIds(tx: Tx | Pick<Tx, "$queryRaw">, rolloutId: string): Promise<string[]> {
  // Raw: the members of the moved rings through two joins, filtered on ring status and workspace status.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT m.workspace_id::text AS id
    FROM rollout_workspaces m
    JOIN rollout_rings r ON r.rollout_id = m.rollout_id AND r.position = m.ring_position
    JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.rollout_id = ${rolloutId}::uuid AND r.status = ANY(${MOVED}) AND w.status <> 'removed'
    ORDER BY m.ring_position, m.workspace_id`;
  return rows.map((row) => row.id);
}

/**
 * Records the rollback's reprovision (null: nothing was moved): moved rings are rolled back (the
 * failed one keeps its status), their members' target is the old digest again, and a pin the
 * last ring had moved goes back, with history, in the same transaction.
 */
export async function startRollbackTx(tx: Tx, state: RolloutState, operationId: string | null): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollout_rings SET status = 'rolled_back', finished_at = coalesce(finished_at, clock_timestamp())
    WHERE rollout_id = ${state.id}::uuid AND status IN ('reprovisioning', 'baking', 'waiting', 'passed')`;
  await tx.rolloutWorkspace.updateMany({
    where: { rolloutId: state.id, targetDigest: { not: null } },
    data: { targetDigest: state.fromDigest },
  });
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollouts SET rollback_started_at = clock_timestamp(), rollback_operation_id = ${operationId}::uuid,
           updated_at = clock_timestamp()
    WHERE id = ${state.id}::uuid`;
  if (state.pinMovedAt !== null && state.fromDigest !== null) {
    const reason = `rollout ${state.id} rolled back`;
    const pin = { templateName: state.templateName, fromDigest: state.toDigest, toDigest: state.fromDigest };
    await moveRolloutPinTx(tx, { ...pin, reason, gitSha: null }, "rollback", state.actor);
  }
  await audit(tx, state, "rollout.rollback_started", { operationId, digest: state.fromDigest });
}

/** The rollback's reprovision ended: the rollout ends as rolled back (a failure) or aborted (an operator). */
export async function finishRollbackTx(tx: Tx, state: RolloutState, ending: "rolled_back" | "aborted"): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollouts SET status = ${ending}, finished_at = clock_timestamp(), updated_at = clock_timestamp()
    WHERE id = ${state.id}::uuid`;
  await touch(tx, state.id);
  await audit(tx, state, "rollout.rollback_finished", { status: ending, digest: state.fromDigest });
}
