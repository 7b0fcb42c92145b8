import "server-only";

import type { Db } from "@/lib/db/client";
import { assignRing, type RingConfig } from "@/lib/domain/rings";
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
  const workspaces = await db.workspace.findMany({
    where: { runtime: templateName, status: { not: "removed" } },
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
  return mapLimit(workspaces, 8, async (ws) => ({
    workspaceId: ws.id,
    ringPosition: assignRing(
      { id: ws.id, labels: await containerLabels(ws.host, ws.containerId), hostLabels: hostLabels.get(ws.host) ?? {} },
      rings,
    ),
  }));
}
