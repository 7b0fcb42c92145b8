import "server-only";

import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/** SQL selecting the workspaces Fleetpin saw `down` (container not running although it should), of one template or all. */
export function downCandidates(template?: string): Prisma.Sql {
  return Prisma.sql`
    SELECT w.id, w.created_at FROM workspaces w
    WHERE w.status = 'down'::workspace_status ${template === undefined ? Prisma.empty : Prisma.sql`AND w.runtime = ${template}`}`;
}

/** Down workspaces per template, most first (one grouped count over idx_workspaces_status). */
export async function countDownWorkspaces(db: Db): Promise<{ template: string; down: number }[]> {
  // Raw: one grouped count ordered by the count, which groupBy cannot order by.
  const rows = await db.$queryRaw<{ template: string; down: number }[]>`
    SELECT runtime AS template, count(*)::int AS down FROM workspaces WHERE status = 'down'::workspace_status
    GROUP BY runtime ORDER BY count(*) DESC, runtime`;
  return rows;
}
