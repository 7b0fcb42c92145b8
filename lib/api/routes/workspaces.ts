import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { quarantinedDigests } from "@/lib/db/ledger/quarantine";
import { staleSummary } from "@/lib/db/stale-fleet";
import { listWorkspaces, type WorkspaceRow } from "@/lib/db/workspaces";
import { STALENESS_VALUES } from "@/lib/domain/staleness";
import { plainText, templateNameSchema } from "@/lib/schemas/fields";
import { hostNameSchema } from "@/lib/schemas/host";
import { WORKSPACE_STATUSES } from "@/lib/schemas/workspace";

import { fleetTemplateShape, iso, workspaceShape } from "./shapes";

/**
 * The Workspaces page's filters, strict: where the page drops a bad value from a hand-edited
 * URL, the API says which one is wrong (422).
 */
export const workspacesQuery = z.object({
  template: templateNameSchema.optional(),
  status: z.enum(WORKSPACE_STATUSES).optional().describe("one status; without it every status but removed"),
  staleness: z.enum(STALENESS_VALUES).optional(),
  q: plainText().trim().min(1).max(100).optional().describe("prefix of the name (case-insensitive) or of the id"),
  host: hostNameSchema.optional().describe("workspaces on this Docker host"),
  host_label: plainText()
    .trim()
    .min(3)
    .max(200)
    .optional()
    .describe("workspaces on hosts with this label, `name=value`"),
  cursor: plainText().min(1).max(200).optional().describe("next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).optional().describe("page size, default 50"),
});

/** GET /workspaces: one page of workspaces, newest first, with the cursor of the next page. */
export const listWorkspacesRoute = defineApiRoute({
  method: "GET",
  path: "/workspaces",
  role: "viewer",
  tag: "workspaces",
  summary: "List workspaces with the Workspaces page's filters",
  query: workspacesQuery,
  success: {
    status: 200,
    description: "A page of workspaces; next_cursor is null on the last page",
    schema: z.object({
      workspaces: z.array(workspaceShape),
      next_cursor: z.string().nullable(),
      total: z.number().int(),
    }),
  },
  run: async ({ db, query }) => {
    const { host_label: hostLabel, ...filters } = query;
    const [page, quarantined] = await Promise.all([
      listWorkspaces(db, { ...filters, ...(hostLabel ? { hostLabel } : {}), direction: "next" }),
      quarantinedDigests(db),
    ]);
    return {
      workspaces: page.rows.map((row) => toApiWorkspace(row, quarantined)),
      next_cursor: page.nextCursor,
      total: page.total,
    };
  },
});

/** GET /fleet: the Stale fleet page's per-template counts. */
export const fleetRoute = defineApiRoute({
  method: "GET",
  path: "/fleet",
  role: "viewer",
  tag: "workspaces",
  summary: "Stale-fleet summary per template",
  success: {
    status: 200,
    description: "Live workspaces per template: on the pin, stale, unknown digest, down",
    schema: z.object({ templates: z.array(fleetTemplateShape) }),
  },
  run: async ({ db }) => ({
    templates: (await staleSummary(db)).map((row) => ({
      template_name: row.templateName,
      pinned_digest: row.pinnedDigest,
      total: row.total,
      on_pin: row.onPin,
      stale: row.stale,
      unknown: row.unknown,
      down: row.down,
    })),
  }),
});

function toApiWorkspace(
  row: WorkspaceRow,
  quarantined: ReadonlyMap<string, ReadonlySet<string>>,
): z.infer<typeof workspaceShape> {
  return {
    id: row.id,
    name: row.name,
    template: row.runtime,
    host: row.host,
    status: row.status,
    container_id: row.containerId,
    container_name: row.containerName,
    image: row.runtimeImage,
    digest: row.runtimeImageDigest,
    digest_quarantined:
      row.runtimeImageDigest !== null && (quarantined.get(row.runtime)?.has(row.runtimeImageDigest) ?? false),
    pinned_digest: row.pinnedDigest,
    staleness: row.staleness,
    last_error: row.lastError,
    locked: row.locked,
    last_provisioned_at: iso(row.lastProvisionedAt),
    updated_at: row.updatedAt.toISOString(),
  };
}
