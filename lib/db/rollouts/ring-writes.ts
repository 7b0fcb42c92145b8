import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import { moveRolloutPinTx } from "@/lib/db/pins";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import type { GateObservation } from "@/lib/domain/rollout-machine";
import { Prisma } from "@/lib/generated/prisma/client";

import type { RolloutState } from "./state";

// The rollout engine's writes for a ring moving forward, each in the caller's transaction with
// its audit row (actor: who promoted, since the engine acts on their behalf).

type Tx = Prisma.TransactionClient;

/** Which ring each workspace of the template is in; rows already there are kept (membership is fixed once seen). */
export async function recordMembershipTx(
  tx: Tx,
  rolloutId: string,
  members: { workspaceId: string; ringPosition: number }[],
): Promise<void> {
  if (members.length === 0) return;
  await tx.rolloutWorkspace.createMany({
    data: members.map((member) => ({ rolloutId, ...member })),
    skipDuplicates: true,
  });
}

/**
 * Starts ring `position`: its members' target becomes the new digest, its reprovision operation
 * (null: the ring has no workspace) is recorded, and the last ring moves the pin, with pin
 * history and audit as a normal promote, all in one transaction.
 */
export async function startRingTx(
  tx: Tx,
  state: RolloutState,
  position: number,
  operationId: string | null,
  movesPin: boolean,
): Promise<void> {
  const ring = state.rings[position]!;
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollout_rings SET status = 'reprovisioning', started_at = clock_timestamp(), target_digest = ${state.toDigest},
           operation_id = ${operationId}::uuid
    WHERE rollout_id = ${state.id}::uuid AND position = ${position}`;
  await tx.rolloutWorkspace.updateMany({
    where: { rolloutId: state.id, ringPosition: position },
    data: { targetDigest: state.toDigest },
  });
  if (movesPin && state.fromDigest !== null && state.pinMovedAt === null) {
    const reason = `rollout ${state.id}: ${state.reason}`;
    const pin = { templateName: state.templateName, fromDigest: state.fromDigest, toDigest: state.toDigest };
    await moveRolloutPinTx(tx, { ...pin, reason, gitSha: state.gitSha }, "promote", state.actor);
    // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
    await tx.$executeRaw`UPDATE rollouts SET pin_moved_at = clock_timestamp() WHERE id = ${state.id}::uuid`;
  }
  await touch(tx, state.id);
  await audit(tx, state, "rollout.ring_started", { ring: ring.name, operationId, movesPin });
}

/** The bake starts when the ring's last reprovision finished; each member's restart count is the baseline. */
export async function beginBakeTx(
  tx: Tx,
  state: RolloutState,
  position: number,
  bake: { startedAt: Date; until: Date },
  baselines: { workspaceId: string; containerId: string | null; restartCount: number | null }[],
): Promise<void> {
  await tx.rolloutRing.update({
    where: { rolloutId_position: { rolloutId: state.id, position } },
    data: { status: "baking", bakeStartedAt: bake.startedAt, bakeUntil: bake.until },
  });
  for (const baseline of baselines) {
    await tx.rolloutWorkspace.update({
      where: { rolloutId_workspaceId: { rolloutId: state.id, workspaceId: baseline.workspaceId } },
      data: { containerId: baseline.containerId, restartCount: baseline.restartCount },
    });
  }
  await touch(tx, state.id);
}

/** One look at the gate: the ring's summary and each member's state (what the rollout page shows). */
export async function recordGateTx(
  tx: Tx,
  rolloutId: string,
  position: number,
  gate: GateObservation,
  members: { workspaceId: string; state: string; reason: string | null; logLines?: string[] | null }[],
): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollout_rings SET gate = ${JSON.stringify(gate)}::jsonb, gate_checked_at = clock_timestamp()
    WHERE rollout_id = ${rolloutId}::uuid AND position = ${position}`;
  for (const member of members) {
    await tx.rolloutWorkspace.update({
      where: { rolloutId_workspaceId: { rolloutId, workspaceId: member.workspaceId } },
      data: {
        gateState: member.state,
        gateReason: member.reason,
        ...(member.logLines ? { lastLogLines: member.logLines } : {}),
      },
    });
  }
}

/** A ring that baked clean: passed, or waiting when an operator advances it. */
export async function passRingTx(tx: Tx, state: RolloutState, position: number, status: "passed" | "waiting") {
  const ring = state.rings[position]!;
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollout_rings SET status = ${status}, finished_at = clock_timestamp()
    WHERE rollout_id = ${state.id}::uuid AND position = ${position}`;
  await touch(tx, state.id);
  await audit(tx, state, "rollout.ring_passed", { ring: ring.name, status });
  await recordEvent(tx, "rollout.ring_passed", {
    template: state.templateName,
    rollout_id: state.id,
    ring: ring.name,
    to_digest: state.toDigest,
  });
}

export async function advanceTx(tx: Tx, rolloutId: string, to: number): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`UPDATE rollouts SET current_ring = ${to}, updated_at = clock_timestamp() WHERE id = ${rolloutId}::uuid`;
}

export async function succeedTx(tx: Tx, state: RolloutState): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`
    UPDATE rollouts SET status = 'succeeded', status_reason = NULL, finished_at = clock_timestamp(), updated_at = clock_timestamp()
    WHERE id = ${state.id}::uuid`;
  await audit(tx, state, "rollout.succeeded", { digest: state.toDigest });
  await recordEvent(tx, "rollout.succeeded", {
    template: state.templateName,
    rollout_id: state.id,
    from_digest: state.fromDigest,
    to_digest: state.toDigest,
  });
}

export async function touch(tx: Tx, rolloutId: string): Promise<void> {
  // Raw: clock_timestamp(), the database's clock that the rollout's timers are read against (the model API sends the app's).
  await tx.$executeRaw`UPDATE rollouts SET updated_at = clock_timestamp() WHERE id = ${rolloutId}::uuid`;
}

export async function audit(
  tx: Tx,
  state: Pick<RolloutState, "id" | "templateName" | "actor">,
  action: string,
  after: Prisma.InputJsonObject,
  options: { actor?: string; reason?: string | null } = {},
): Promise<void> {
  await recordAudit(tx, {
    actor: options.actor ?? state.actor,
    action,
    targetType: "rollout",
    targetId: state.id,
    templateName: state.templateName,
    reason: options.reason ?? null,
    after,
  });
}
