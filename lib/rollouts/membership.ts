import "server-only";

import type { Db } from "@/lib/db/client";
import { assignRing, type RingConfig } from "@/lib/domain/rings";
import type { Prisma } from "@/lib/generated/prisma/client";
import { mapLimit } from "@/lib/util/map-limit";

import { hostClients, type RolloutDeps } from "./deps";

/**
 * Which ring each live workspace of the template is in (assignRing): explicit ids, then labels
 * of its container (read from its engine, only when some ring selects by labels) or of its
 * Docker host, then its stable percent bucket. A container that cannot be inspected has no
 * labels: it still lands in a ring, by its host's labels or its bucket, never nowhere.
 */
export async function computeMembership(
  db: Db,
  templateName: string,
  rings: RingConfig[],
  deps: RolloutDeps,
): Promise<{ workspaceId: string; ringPosition: number }[]> {
  const assigned = await assignWorkspaces(db, { runtime: templateName, status: { not: "removed" } }, rings, deps);
  return [...assigned].map(([workspaceId, ringPosition]) => ({ workspaceId, ringPosition }));
}

/** The ring index of each of these workspaces as a rollout would assign it (the pages' "ring" column). */
export async function ringsOfWorkspaces(
  db: Db,
  workspaceIds: string[],
  rings: RingConfig[],
  deps: RolloutDeps = {},
): Promise<Map<string, number>> {
  if (workspaceIds.length === 0 || rings.length === 0) return new Map();
  return assignWorkspaces(db, { id: { in: workspaceIds } }, rings, deps);
}

async function assignWorkspaces(
  db: Db,
  where: Prisma.WorkspaceWhereInput,
  rings: RingConfig[],
  deps: RolloutDeps,
): Promise<Map<string, number>> {
  const workspaces = await db.workspace.findMany({
    where,
    select: { id: true, host: true, containerId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const hostLabels = new Map(
    (await db.dockerHost.findMany({ select: { name: true, labels: true } })).map((host) => [
      host.name,
      (host.labels ?? {}) as Record<string, string>,
    ]),
  );
  const byLabels = rings.some((ring) => Object.keys(ring.selector?.labels ?? {}).length > 0);
  const clientOf = hostClients(db, deps);
  const containerLabels = async (host: string, containerId: string | null): Promise<Record<string, string>> => {
    if (!byLabels || !containerId) return {};
    try {
      return (await (await clientOf(host)).inspectContainer(containerId))?.labels ?? {};
    } catch {
      return {};
    }
  };
  // A few inspects at a time: a fleet of thousands must not open thousands of engine requests at once.
  const assigned = await mapLimit(workspaces, 8, async (ws) => {
    const labels = await containerLabels(ws.host, ws.containerId);
    return [ws.id, assignRing({ id: ws.id, labels, hostLabels: hostLabels.get(ws.host) ?? {} }, rings)] as const;
  });
  return new Map(assigned);
}
