import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { addHost, deleteHost, type HostView } from "@/lib/hosts/hosts";
import { probeHosts } from "@/lib/provisioner/docker/hosts";
import { hostInputSchema, hostListQuerySchema, hostNameParamSchema } from "@/lib/schemas/host";

const hostShape = z.object({
  name: z.string(),
  endpoint: z.string(),
  labels: z.record(z.string(), z.string()),
  concurrency: z.number().int(),
  tls: z.boolean().describe("TLS client material is stored (never returned)"),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  reachable: z.boolean().optional(),
  error: z.string().nullable().optional(),
});

function toApiHost(host: HostView & { reachable?: boolean; error?: string | null }): z.infer<typeof hostShape> {
  return {
    name: host.name,
    endpoint: host.endpoint,
    labels: host.labels,
    concurrency: host.concurrency,
    tls: host.tls,
    created_by: host.createdBy,
    created_at: host.createdAt.toISOString(),
    updated_at: host.updatedAt.toISOString(),
    ...(host.reachable !== undefined ? { reachable: host.reachable, error: host.error ?? null } : {}),
  };
}

/** GET /hosts: the registered Docker engines, each pinged on its own timeout. */
export const listHostsRoute = defineApiRoute({
  method: "GET",
  path: "/hosts",
  role: "viewer",
  tag: "hosts",
  summary: "List Docker hosts with their reachability",
  query: hostListQuerySchema,
  success: { status: 200, description: "Every registered host", schema: z.object({ hosts: z.array(hostShape) }) },
  run: async ({ db, deps, query }) => ({
    hosts: (await probeHosts(db, { env: deps.env, ...(query.label ? { label: query.label } : {}) })).map(toApiHost),
  }),
});

/** POST /hosts: registers an engine; TLS material (PEM) is sealed before it is stored. */
export const addHostRoute = defineApiRoute({
  method: "POST",
  path: "/hosts",
  role: "operator",
  tag: "hosts",
  summary: "Register a Docker host",
  description: "409 when the name or the endpoint is taken. TLS needs FLEETPIN_SECRET_KEY on PostgreSQL.",
  body: hostInputSchema,
  success: { status: 200, description: "The host as stored", schema: hostShape },
  run: async ({ db, deps, caller, body }) => toApiHost(await addHost(db, body, caller.actor, deps.env)),
});

/** DELETE /hosts/{name}: unregisters an engine; refused while live workspaces are on it. */
export const deleteHostRoute = defineApiRoute({
  method: "DELETE",
  path: "/hosts/{name}",
  role: "operator",
  tag: "hosts",
  summary: "Unregister a Docker host",
  description: "409 while live workspaces are on the host.",
  params: hostNameParamSchema,
  success: { status: 200, description: "Deleted", schema: z.object({ deleted: z.literal(true), name: z.string() }) },
  run: async ({ db, caller, params }) => {
    await deleteHost(db, params.name, caller.actor);
    return { deleted: true as const, name: params.name };
  },
});
