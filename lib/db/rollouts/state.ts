import "server-only";

import type { Db } from "@/lib/db/client";
import { ringFromRow } from "@/lib/db/rings";
import type { RingConfig } from "@/lib/domain/rings";
import type { MachineInput, MachineRing, RolloutRingStatus, RolloutStatus } from "@/lib/domain/rollout-machine";
import type { Prisma } from "@/lib/generated/prisma/client";

// What the rollout engine reads before each step: the rollout, its rings with their reprovision
// operations, the rollback's operation, and the database's clock (every timer is a timestamp
// written by the database, so a restart, or another process, measures the bake the same way).

type Reader = Db | Prisma.TransactionClient;

export type OperationProgress = { total: number; succeeded: number; finished: boolean; finishedAt: Date | null };

export type RolloutStateRing = RingConfig & {
  position: number;
  status: RolloutRingStatus;
  operationId: string | null;
  startedAt: Date | null;
  bakeStartedAt: Date | null;
  bakeUntil: Date | null;
  operation: OperationProgress | null;
};

export type RolloutState = {
  id: string;
  templateName: string;
  fromDigest: string | null;
  toDigest: string;
  gitSha: string | null;
  actor: string;
  reason: string;
  status: RolloutStatus;
  currentRing: number;
  pinMovedAt: Date | null;
  rollbackEnding: "rolled_back" | "aborted" | null;
  rollbackStartedAt: Date | null;
  rollbackOperation: OperationProgress | null;
  rings: RolloutStateRing[];
  now: Date;
  /** The row's version: a step applies only if nobody changed the rollout since it was read (lockUnchanged). */
  updatedAt: Date;
};

export async function loadRolloutState(db: Reader, id: string): Promise<RolloutState | null> {
  const row = await db.rollout.findUnique({ where: { id }, include: { rings: { orderBy: { position: "asc" } } } });
  if (!row) return null;
  const operationIds = [...row.rings.map((ring) => ring.operationId), row.rollbackOperationId].filter(
    (value): value is string => value !== null,
  );
  const operations = new Map(
    (
      await db.operation.findMany({
        where: { id: { in: operationIds } },
        select: { id: true, status: true, total: true, succeeded: true, finishedAt: true },
      })
    ).map((op) => [
      op.id,
      {
        total: op.total,
        succeeded: op.succeeded,
        finished: op.status !== "queued" && op.status !== "running",
        finishedAt: op.finishedAt,
      },
    ]),
  );
  // Raw: reads the database's clock, the one every rollout timestamp was written with.
  const [clock] = await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  return {
    id: row.id,
    templateName: row.templateName,
    fromDigest: row.fromDigest,
    toDigest: row.toDigest,
    gitSha: row.gitSha,
    actor: row.actor,
    reason: row.reason,
    status: row.status as RolloutStatus,
    currentRing: row.currentRing,
    pinMovedAt: row.pinMovedAt,
    rollbackEnding: row.rollbackEnding as RolloutState["rollbackEnding"],
    rollbackStartedAt: row.rollbackStartedAt,
    rollbackOperation: row.rollbackOperationId ? (operations.get(row.rollbackOperationId) ?? null) : null,
    rings: row.rings.map((ring) => ({
      ...ringFromRow(ring),
      position: ring.position,
      status: ring.status as RolloutRingStatus,
      operationId: ring.operationId,
      startedAt: ring.startedAt,
      bakeStartedAt: ring.bakeStartedAt,
      bakeUntil: ring.bakeUntil,
      operation: ring.operationId ? (operations.get(ring.operationId) ?? null) : null,
    })),
    now: clock!.now,
    updatedAt: row.updatedAt,
  };
}

/**
 * Locks the rollout row to the end of the transaction and tells whether it is still as `state`
 * saw it: two processes ticking one rollout, or a tick racing an operator's pause, apply one
 * step each at most, and the second re-reads before doing anything.
 */
export async function lockUnchanged(tx: Prisma.TransactionClient, state: RolloutState): Promise<boolean> {
  // Raw: FOR UPDATE, which the model API cannot say: a step applies only if the row is as read.
  const [row] = await tx.$queryRaw<{ updated_at: Date }[]>`
    SELECT updated_at FROM rollouts WHERE id = ${state.id}::uuid FOR UPDATE`;
  return row !== undefined && row.updated_at.getTime() === state.updatedAt.getTime();
}

/** The machine's view of the state (lib/domain/rollout-machine.ts); `gate` is the engine's own look. */
export function machineInputOf(state: RolloutState, gate: MachineInput["gate"]): MachineInput {
  return {
    status: state.status,
    currentRing: state.currentRing,
    now: state.now,
    gate,
    rings: state.rings.map(machineRingOf),
    rollback: state.rollbackEnding
      ? {
          ending: state.rollbackEnding,
          started: state.rollbackStartedAt !== null,
          // A rollback with nothing to move has no operation and is done once started.
          finished: state.rollbackStartedAt !== null && (state.rollbackOperation?.finished ?? true),
        }
      : null,
  };
}

function machineRingOf(ring: RolloutStateRing): MachineRing {
  let reprovision: MachineRing["reprovision"] = null;
  if (ring.operation) {
    const op = ring.operation;
    reprovision = {
      members: op.total,
      finished: op.finished,
      finishedAt: op.finishedAt,
      failed: op.total - op.succeeded,
    };
  } else if (ring.startedAt !== null && ring.operationId === null) {
    // Started with no workspace of the template in it: nothing to reprovision or watch.
    reprovision = { members: 0, finished: true, finishedAt: ring.startedAt, failed: 0 };
  }
  return {
    status: ring.status,
    bakeSeconds: ring.bakeSeconds,
    failureBudget: ring.failureBudget,
    autoAdvance: ring.autoAdvance,
    reprovision,
    bakeUntil: ring.bakeUntil,
  };
}
