import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { STALENESS_VALUES, type Staleness } from "@/lib/domain/staleness";
import { Prisma } from "@/lib/generated/prisma/client";

import type { Db } from "./client";

// The stale fleet in SQL: which live workspaces run another digest than their template's pin
// (workspaces `w` joined to runtime_image_pins `p`), counted per template and listed for bulk runs.

/** Per-template counts for the Stale fleet page. */
export type StaleSummaryRow = {
  templateName: string;
  pinnedDigest: string | null;
  total: number;
  onPin: number;
  stale: number;
  unknown: number;
  /** Live workspaces whose container is not running although nobody stopped it (status `down`). */
  down: number;
};

// While a rollout runs (issue 18) a workspace's target is its ring's target (rollout_workspaces),
// not the pin: the canary on the new digest is on target, the fleet on the old one too. The
// InitPlan (one EXISTS over the partial unique index of active rollouts) is evaluated once per
// statement, and CASE short-circuits, so without a rollout the per-row lookup never runs.
export const TARGET_DIGEST = Prisma.sql`(CASE WHEN (SELECT EXISTS (SELECT 1 FROM rollouts WHERE status IN ('running', 'paused')))
  THEN coalesce((SELECT m.target_digest FROM rollout_workspaces m JOIN rollouts r ON r.id = m.rollout_id
                 WHERE m.workspace_id = w.id AND r.status IN ('running', 'paused') LIMIT 1), p.digest)
  ELSE p.digest END)`;

// Removed workspaces are history: listed only when asked for by status, never counted as fleet.
export const LIVE = Prisma.sql`w.status <> 'removed'`;

/**
 * On-pin / stale / unknown (and down) counts per template in one query, for every
 * template that has live workspaces or a pin (removed workspaces are not counted).
 * Templates without a rollout are read from workspace_counts (kept by triggers in every
 * change's transaction; see ./workspace-counts.ts): a few thousand rows at any fleet size,
 * where counting the rows themselves reads every live workspace's index entry (~30x issue
 * #16's 25 ms at a million). A template with a rollout running is counted from its rows,
 * each against its ring's target (rollout_workspaces): one template's fleet, only then.
 */
export async function staleSummary(db: Db): Promise<StaleSummaryRow[]> {
  // Raw: per-template FILTERed sums over the kept counts (and ring targets while a rollout runs) in one statement.
  const rows = await db.$queryRaw<
    {
      template_name: string;
      pinned_digest: string | null;
      total: number;
      on_pin: number;
      stale: number;
      unknown: number;
      down: number;
    }[]
  >`
    WITH active AS (
      SELECT id, template_name FROM rollouts WHERE status IN ('running', 'paused')
    ),
    groups AS (
      SELECT runtime, runtime_image_digest AS digest, NULL::text AS target, sum(n) AS n,
             coalesce(sum(n) FILTER (WHERE status = 'down'), 0) AS down
      FROM workspace_counts
      WHERE status <> 'removed' AND runtime NOT IN (SELECT template_name FROM active)
      GROUP BY runtime, runtime_image_digest
      HAVING sum(n) <> 0
      UNION ALL
      SELECT w.runtime, w.runtime_image_digest, m.target_digest, count(*),
             count(*) FILTER (WHERE w.status = 'down')
      FROM workspaces w JOIN active a ON a.template_name = w.runtime
      LEFT JOIN rollout_workspaces m ON m.rollout_id = a.id AND m.workspace_id = w.id
      WHERE w.status <> 'removed'
      GROUP BY 1, 2, 3
    )
    SELECT coalesce(g.runtime, p.template_name) AS template_name,
           p.digest AS pinned_digest,
           coalesce(sum(g.n), 0)::int AS total,
           coalesce(sum(g.n) FILTER (WHERE g.digest = coalesce(g.target, p.digest)), 0)::int AS on_pin,
           coalesce(sum(g.n) FILTER (WHERE g.digest <> coalesce(g.target, p.digest)), 0)::int AS stale,
           coalesce(sum(g.n) FILTER (WHERE p.digest IS NOT NULL AND g.digest IS NULL AND g.runtime IS NOT NULL), 0)::int AS unknown,
           coalesce(sum(g.down), 0)::int AS down
    FROM groups g
    FULL JOIN runtime_image_pins p ON p.template_name = g.runtime
    GROUP BY 1, 2
    ORDER BY 1`;
  return rows.map((row) => ({
    templateName: row.template_name,
    pinnedDigest: row.pinned_digest,
    total: row.total,
    onPin: row.on_pin,
    stale: row.stale,
    unknown: row.unknown,
    down: row.down,
  }));
}

/** Ids of live stale workspaces (all templates, or one), oldest first: what "Reprovision all stale" enqueues. */
export async function listStaleWorkspaceIds(db: Db, template?: string): Promise<string[]> {
  // Raw: the stale condition is a SQL fragment shared with the summary and the Workspaces filter.
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT w.id::text AS id
    FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE ${Prisma.join(staleWhere(template), " AND ")}
    ORDER BY w.created_at, w.id`;
  return rows.map((row) => row.id);
}

/** SQL conditions (on `w` = workspaces joined to pins `p`) selecting live stale workspaces. */
export function staleWhere(template?: string): Prisma.Sql[] {
  const conditions = [LIVE, stalenessCondition("stale")];
  if (template !== undefined) conditions.push(Prisma.sql`w.runtime = ${template}`);
  return conditions;
}

/**
 * `target` is what a workspace is measured against: its ring's target while a rollout runs
 * (TARGET_DIGEST, which reads `w.id`), or the pin alone for queries over workspace_counts,
 * whose rows have no workspace id (see ./workspaces.ts countMatching).
 */
export function stalenessCondition(value: Staleness, target: Prisma.Sql = TARGET_DIGEST): Prisma.Sql {
  switch (value) {
    case "on_pin":
      return Prisma.sql`w.runtime_image_digest = ${target}`;
    case "stale":
      return Prisma.sql`w.runtime_image_digest <> ${target}`;
    case "unknown":
      return Prisma.sql`(p.digest IS NOT NULL AND w.runtime_image_digest IS NULL)`;
    case "unpinned":
      return Prisma.sql`p.digest IS NULL`;
    default: {
      const message = `Unknown staleness "${String(value)}"; use one of ${STALENESS_VALUES.join(", ")}.`;
      throw new ValidationError(message, { staleness: [message] });
    }
  }
}
