import { z } from "zod";

// Response shapes of /api/v1, in zod so the OpenAPI document describes exactly what the
// serializers below produce. JSON is snake_case; times are ISO 8601 strings.

const time = z.iso.datetime();
const digest = z.string().describe("sha256: followed by 64 lowercase hex characters");

export const pinShape = z.object({
  template_name: z.string(),
  image_digest: digest.nullable().describe("null when the template is unpinned and follows :latest"),
  image_ref: z
    .string()
    .describe("what new workspaces of the template run: repository@digest, or repository:latest when unpinned"),
  git_sha: z.string().nullable(),
  notes: z.string().nullable().describe("the reason given with the last pin change"),
  updated_by: z.string().nullable(),
  updated_at: time.nullable(),
  rollback_target: digest.nullable().describe("the digest a rollback would restore"),
  rollback_target_quarantined: z
    .boolean()
    .describe(
      "the rollback target was rolled back from itself and is quarantined (see GET /templates/{template}/digests)",
    ),
  workspace_count: z.number().int(),
  stale_count: z.number().int(),
});

export const pinChangeShape = z.object({
  template_name: z.string(),
  action: z.enum(["promote", "rollback", "unpin"]),
  from_digest: digest.nullable(),
  to_digest: digest.nullable(),
  git_sha: z.string().nullable(),
  rollout_id: z
    .uuid()
    .optional()
    .describe(
      "with rings enabled, a promote starts this rollout at GET /rollouts/{id}; the pin itself moves when the last ring starts",
    ),
});

export const workspaceShape = z.object({
  id: z.uuid(),
  name: z.string(),
  template: z.string(),
  host: z.string().describe("the Docker host its container lives on"),
  status: z.string(),
  container_id: z.string().nullable(),
  container_name: z.string().nullable(),
  image: z.string().nullable(),
  digest: digest.nullable().describe("the digest the container really runs, null until first seen"),
  digest_quarantined: z.boolean().describe("the digest it runs is quarantined: a rollback left it"),
  pinned_digest: digest.nullable(),
  staleness: z.enum(["on_pin", "stale", "unknown", "unpinned"]),
  last_error: z.string().nullable(),
  locked: z.boolean().describe("a reprovision holds the workspace right now"),
  last_provisioned_at: time.nullable(),
  updated_at: time,
});

export const fleetTemplateShape = z.object({
  template_name: z.string(),
  pinned_digest: digest.nullable(),
  total: z.number().int(),
  on_pin: z.number().int(),
  stale: z.number().int(),
  unknown: z.number().int(),
  down: z.number().int(),
});

export const operationItemShape = z.object({
  workspace_id: z.uuid(),
  workspace_name: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed", "skipped", "cancelled"]),
  error: z.string().nullable(),
  outcome: z.string().nullable().describe("where the item left its workspace, in plain words"),
  from_digest: digest.nullable(),
  to_digest: digest.nullable(),
  image: z.string().nullable(),
  started_at: time.nullable(),
  finished_at: time.nullable(),
});

export const operationShape = z.object({
  id: z.uuid(),
  kind: z.enum(["reprovision", "bulk_reprovision", "sync"]),
  status: z.enum(["queued", "running", "succeeded", "failed", "partially_failed", "cancelled"]),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  skipped: z.number().int(),
  queued: z.number().int(),
  running: z.number().int(),
  percent: z.number().int(),
  template: z.string().nullable(),
  reason: z.string().nullable(),
  requested_by: z.string(),
  concurrency: z.number().int(),
  cancel_requested: z.boolean(),
  error: z.string().nullable(),
  retry_of: z.uuid().nullable(),
  created_at: time,
  started_at: time.nullable(),
  finished_at: time.nullable(),
  items: z.array(operationItemShape).describe("failed items first, then running, skipped, the rest; at most 500"),
  items_omitted: z.number().int(),
});

export const auditEntryShape = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  template: z.string().nullable(),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  created_at: time,
});

/** The answer of every POST that starts background work: the operation to poll at GET /operations/{id}. */
export const acceptedOperationShape = z.object({
  operation_id: z.uuid(),
  total: z.number().int().optional(),
  queued: z.number().int().optional(),
  skipped: z.number().int().optional(),
});

/** Where to poll an accepted operation (the Location header of a 202). */
export function operationLocation(body: { operation_id: string }): string {
  return `/api/v1/operations/${body.operation_id}`;
}

/** A Date as the API writes it, or null. */
export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
