import { z } from "zod";

import type { RolloutView } from "@/lib/db/rollouts/read";

import { iso } from "./shapes";

// The /rollouts response shapes in zod (for the OpenAPI document) and the serializers that produce
// them from lib/db/rollouts/read.ts's read model. snake_case, times as ISO 8601 strings.

const time = z.iso.datetime();
const digest = z.string().describe("sha256: followed by 64 lowercase hex characters");

export const ROLLOUT_STATUS_VALUES = ["running", "paused", "succeeded", "rolled_back", "aborted"] as const;
export const RING_STATUS_VALUES = [
  "pending",
  "reprovisioning",
  "baking",
  "waiting",
  "passed",
  "failed",
  "rolled_back",
  "skipped",
] as const;

const rolloutWorkspaceShape = z.object({
  id: z.uuid(),
  name: z.string(),
  host: z.string(),
  state: z.string().describe("the workspace's status: online, down, …"),
  health: z
    .string()
    .nullable()
    .describe("what the bake gate last saw: healthy, running, restarted, exited, unhealthy, …; null before it looked"),
  gate_reason: z.string().nullable().describe("why the bake gate failed it, when it did"),
  container_id: z.string().nullable(),
  digest: digest.nullable().describe("the digest the container really runs"),
  target_digest: digest.nullable().describe("the digest it should run while the rollout is active"),
  last_log_lines: z.array(z.string()).nullable().describe("the last log lines of a workspace that failed the gate"),
});

const rolloutRingShape = z.object({
  position: z.number().int(),
  name: z.string(),
  status: z.enum(RING_STATUS_VALUES),
  target_digest: digest.nullable().describe("the digest this ring's workspaces are moved to"),
  bake_seconds: z.number().int(),
  auto_advance: z.boolean(),
  started_at: time.nullable(),
  bake_started_at: time.nullable().describe("the ring's last reprovision finished: the bake counts from here"),
  bake_until: time.nullable(),
  operation_id: z.uuid().nullable().describe("the reprovision operation of this ring, at GET /operations/{id}"),
  gate: z
    .object({
      ok: z.boolean(),
      failures: z.array(z.object({ workspace_id: z.string(), reason: z.string() })),
    })
    .nullable()
    .describe("the bake gate's verdict; null until the ring's bake ends"),
  workspaces: z.array(rolloutWorkspaceShape),
});

const rolloutFields = {
  id: z.uuid(),
  template_name: z.string(),
  from_digest: digest.nullable(),
  to_digest: digest,
  actor: z.string(),
  reason: z.string(),
  status: z.enum(ROLLOUT_STATUS_VALUES),
  current_ring: z.number().int().describe("index into rings of the ring being worked on"),
  status_reason: z.string().nullable().describe("why it paused, rolled back or was aborted"),
  created_at: time,
  updated_at: time,
  finished_at: time.nullable(),
};

export const rolloutShape = z.object({ ...rolloutFields, rings: z.array(rolloutRingShape) });
export const rolloutListItemShape = z.object({ ...rolloutFields, ring_names: z.array(z.string()) });

type Summary = Omit<RolloutView, "rings">;

function summaryFields(rollout: Summary) {
  return {
    id: rollout.id,
    template_name: rollout.templateName,
    from_digest: rollout.fromDigest,
    to_digest: rollout.toDigest,
    actor: rollout.actor,
    reason: rollout.reason,
    status: rollout.status,
    current_ring: rollout.currentRing,
    status_reason: rollout.statusReason,
    created_at: rollout.createdAt.toISOString(),
    updated_at: rollout.updatedAt.toISOString(),
    finished_at: iso(rollout.finishedAt),
  };
}

export function toApiRolloutListItem(row: Summary & { ringNames: string[] }): z.infer<typeof rolloutListItemShape> {
  return { ...summaryFields(row), ring_names: row.ringNames };
}

export function toApiRollout(rollout: RolloutView): z.infer<typeof rolloutShape> {
  return {
    ...summaryFields(rollout),
    rings: rollout.rings.map((ring) => ({
      position: ring.position,
      name: ring.name,
      status: ring.status,
      target_digest: ring.targetDigest,
      bake_seconds: ring.bakeSeconds,
      auto_advance: ring.autoAdvance,
      started_at: iso(ring.startedAt),
      bake_started_at: iso(ring.bakeStartedAt),
      bake_until: iso(ring.bakeUntil),
      operation_id: ring.operationId,
      gate: ring.gate && {
        ok: ring.gate.ok,
        failures: ring.gate.failures.map((failure) => ({ workspace_id: failure.workspaceId, reason: failure.reason })),
      },
      workspaces: ring.workspaces.map((ws) => ({
        id: ws.id,
        name: ws.name,
        host: ws.host,
        state: ws.state,
        health: ws.health,
        gate_reason: ws.gateReason ?? null,
        container_id: ws.containerId,
        digest: ws.digest,
        target_digest: ws.targetDigest ?? null,
        last_log_lines: ws.lastLogLines,
      })),
    })),
  };
}
