import "server-only";

import type { Db } from "@/lib/db/client";
import { loadRings, ringsApplyTo } from "@/lib/db/rings";
import type { WorkspaceRow } from "@/lib/db/workspaces";
import { ringsOfWorkspaces } from "@/lib/rollouts/membership";

/**
 * Each listed workspace's ring as the engine would assign it (explicit ids, its container's or
 * host's labels, its percent bucket), or null when rings are off. Workspaces of templates the rings
 * do not apply to have no ring.
 */
export async function workspaceRings(
  db: Db,
  rows: WorkspaceRow[],
): Promise<{ ringNames: string[]; ringOf: Map<string, string> } | null> {
  const setting = await loadRings(db);
  if (!setting.enabled) return null;
  const inRings = rows.filter((row) => ringsApplyTo(setting, row.runtime)).map((row) => row.id);
  const positions = await ringsOfWorkspaces(db, inRings, setting.rings);
  const ringOf = new Map([...positions].map(([id, position]) => [id, setting.rings[position]!.name] as const));
  return { ringNames: setting.rings.map((ring) => ring.name), ringOf };
}
