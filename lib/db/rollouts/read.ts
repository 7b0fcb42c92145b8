import "server-only";

import type { Db } from "@/lib/db/client";
import type { GateObservation, RolloutRingStatus, RolloutStatus } from "@/lib/domain/rollout-machine";
import type { RolloutListRow, RolloutView } from "@/lib/domain/rollout-view";
import { Prisma } from "@/lib/generated/prisma/client";

// What the pages and the API show of rollouts (issue 18). The status vocabulary is the pure
// machine's (lib/domain/rollout-machine.ts), re-exported here under the names both branches use.
export type { RolloutRingStatus, RolloutStatus } from "@/lib/domain/rollout-machine";

type Reader = Db | Prisma.TransactionClient;

export type { RolloutRingView, RolloutView, RolloutWorkspaceView } from "@/lib/domain/rollout-view";
/** A list row: the rollout without its rings' details, with the rings' names in order. */
export type RolloutSummary = RolloutListRow;

const ROLLOUT_SELECT = {
  id: true,
  templateName: true,
  fromDigest: true,
  toDigest: true,
  actor: true,
  reason: true,
  status: true,
  currentRing: true,
  statusReason: true,
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
  pinMovedAt: true,
  rollbackOperationId: true,
} satisfies Prisma.RolloutSelect;

type RolloutRow = Prisma.RolloutGetPayload<{ select: typeof ROLLOUT_SELECT }>;

function summaryOf(row: RolloutRow): Omit<RolloutView, "rings"> {
  return { ...row, status: row.status as RolloutStatus };
}

/** Rollouts, newest first (at most `limit`, default 50), of one template or all, of some statuses or all. */
export async function listRollouts(
  db: Reader,
  filter: { templateName?: string; status?: RolloutStatus[]; limit?: number } = {},
): Promise<RolloutSummary[]> {
  const rows = await db.rollout.findMany({
    where: {
      ...(filter.templateName ? { templateName: filter.templateName } : {}),
      ...(filter.status ? { status: { in: filter.status } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(filter.limit ?? 50, 1), 500),
    select: { ...ROLLOUT_SELECT, rings: { select: { name: true }, orderBy: { position: "asc" } } },
  });
  return rows.map(({ rings, ...row }) => ({ ...summaryOf(row), ringNames: rings.map((ring) => ring.name) }));
}

/** One rollout with its rings and each ring's workspaces, or null. */
export async function getRollout(db: Reader, id: string): Promise<RolloutView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await db.rollout.findUnique({
    where: { id },
    select: { ...ROLLOUT_SELECT, rings: { orderBy: { position: "asc" } } },
  });
  if (!row) return null;
  // Raw: each member with its workspace and ring in one join, enums as text, for every ring at once.
  const members = await db.$queryRaw<
    {
      ring_position: number;
      id: string;
      name: string;
      host: string;
      state: string;
      health: string | null;
      gate_reason: string | null;
      container_id: string | null;
      digest: string | null;
      target_digest: string | null;
      last_log_lines: string[] | null;
    }[]
  >`
    SELECT m.ring_position, w.id::text AS id, w.name, w.host, w.status::text AS state, m.gate_state AS health,
           m.gate_reason, w.container_id, w.runtime_image_digest AS digest, m.target_digest, m.last_log_lines
    FROM rollout_workspaces m JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.rollout_id = ${id}::uuid
    ORDER BY m.ring_position, w.name, w.id`;
  const { rings, ...rest } = row;
  return {
    ...summaryOf(rest),
    rings: rings.map((ring) => ({
      position: ring.position,
      name: ring.name,
      status: ring.status as RolloutRingStatus,
      targetDigest: ring.targetDigest,
      bakeSeconds: ring.bakeSeconds,
      autoAdvance: ring.autoAdvance,
      failureBudget: ring.failureBudget,
      maxUnavailable: ring.maxUnavailable,
      startedAt: ring.startedAt,
      bakeStartedAt: ring.bakeStartedAt,
      bakeUntil: ring.bakeUntil,
      operationId: ring.operationId,
      gate: (ring.gate as GateObservation | null) ?? null,
      gateCheckedAt: ring.gateCheckedAt,
      finishedAt: ring.finishedAt,
      workspaces: members
        .filter((member) => member.ring_position === ring.position)
        .map((member) => ({
          id: member.id,
          name: member.name,
          host: member.host,
          state: member.state,
          health: member.health,
          gateReason: member.gate_reason,
          containerId: member.container_id,
          digest: member.digest,
          targetDigest: member.target_digest,
          lastLogLines: member.last_log_lines,
        })),
    })),
  };
}

/** The running or paused rollout of a template (at most one, by the partial unique index), or null. */
export async function activeRolloutFor(
  db: Reader,
  templateName: string,
): Promise<{ id: string; status: RolloutStatus } | null> {
  const row = await db.rollout.findFirst({
    where: { templateName, status: { in: ["running", "paused"] } },
    select: { id: true, status: true },
  });
  return row ? { id: row.id, status: row.status as RolloutStatus } : null;
}

/** Ids of every running or paused rollout, oldest first: what the driver ticks. */
export async function listActiveRolloutIds(db: Reader): Promise<string[]> {
  const rows = await db.rollout.findMany({
    where: { status: { in: ["running", "paused"] } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
