import "server-only";

import type { Db } from "@/lib/db/client";
import { loadRings } from "@/lib/db/rings";
import type { WorkspaceRow } from "@/lib/db/workspaces";
import { assignRing } from "@/lib/domain/rings";
import { listHosts } from "@/lib/hosts/hosts";

/**
 * Each listed workspace's ring, or null when rings are disabled. Computed with assignRing from the
 * workspace id (explicit ids, percent) and its host's labels; workspace rows hold no container
 * labels, so a label rule on container labels is not seen here (the engine, which inspects the
 * containers, is the authority during a rollout).
 */
export async function workspaceRings(
  db: Db,
  rows: WorkspaceRow[],
): Promise<{ ringNames: string[]; ringOf: Map<string, string> } | null> {
  const { enabled, rings } = await loadRings(db);
  if (!enabled) return null;
  const hostLabels = new Map((await listHosts(db)).map((host) => [host.name, host.labels]));
  const ringOf = new Map(
    rows.map((row) => {
      const index = assignRing({ id: row.id, labels: {}, hostLabels: hostLabels.get(row.host) ?? {} }, rings);
      return [row.id, rings[index]!.name] as const;
    }),
  );
  return { ringNames: rings.map((ring) => ring.name), ringOf };
}
