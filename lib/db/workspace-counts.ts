import "server-only";

import type { Db } from "./client";

// The workspace counts the triggers of migration 20261202110000_workspace_counts keep: append-only
// deltas per (runtime, runtime_image_digest, status, host), whose sum per group is the number of
// workspaces in it. Reads aggregate them; foldWorkspaceCounts keeps them few.

/** Advisory lock of a fold; the TRUNCATE trigger takes it too, so it never misses a fold's rows. */
export const FOLD_LOCK = 7_263_540_011;

/** Whether a read that saw `deltaRows` rows for `groups` groups should fold them: past twice as many (plus slack). */
export function shouldFold(deltaRows: number, groups: number): boolean {
  return deltaRows > 2 * groups + 1_000;
}

/**
 * Folds the deltas into one row per group (dropping groups that net to zero), in one statement:
 * rows committed after it started are not in its snapshot and stay as they are, so no change is
 * lost or counted twice. One fold at a time (advisory lock); returns false when another was running.
 */
export async function foldWorkspaceCounts(db: Db): Promise<boolean> {
  return db.$transaction(async (tx) => {
    // Raw: an advisory lock, which has no model.
    const [lock] = await tx.$queryRaw<
      { locked: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}::bigint) AS locked`;
    if (!lock?.locked) return false;
    // Raw: DELETE … RETURNING into INSERT … SELECT folds the deltas in one statement.
    await tx.$executeRaw`
      WITH folded AS (
        DELETE FROM workspace_counts RETURNING runtime, runtime_image_digest, status, host, n
      )
      INSERT INTO workspace_counts (runtime, runtime_image_digest, status, host, n)
      SELECT runtime, runtime_image_digest, status, host, sum(n)
      FROM folded
      GROUP BY 1, 2, 3, 4
      HAVING sum(n) <> 0`;
    return true;
  });
}

/** Every group with its count (non-zero), as the triggers keep them: what the drift test compares. */
export async function maintainedWorkspaceCounts(db: Db): Promise<WorkspaceCount[]> {
  // Raw: a grouped sum with HAVING, which groupBy cannot filter on the sum so.
  const rows = await db.$queryRaw<RawCount[]>`
    SELECT runtime, runtime_image_digest, status::text AS status, host, sum(n)::int AS n
    FROM workspace_counts
    GROUP BY 1, 2, 3, 4
    HAVING sum(n) <> 0
    ORDER BY 1, 2, 3, 4`;
  return rows.map(toCount);
}

/** The same groups counted from the rows themselves (a full scan: tests and checks only). */
export async function countedWorkspaceGroups(db: Db): Promise<WorkspaceCount[]> {
  // Raw: the same grouping straight from the rows, enums as text, to compare with the kept counts.
  const rows = await db.$queryRaw<RawCount[]>`
    SELECT runtime, runtime_image_digest, status::text AS status, host, count(*)::int AS n
    FROM workspaces
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4`;
  return rows.map(toCount);
}

/** One group of workspaces and how many are in it. */
export type WorkspaceCount = { runtime: string; digest: string | null; status: string; host: string; n: number };

type RawCount = { runtime: string; runtime_image_digest: string | null; status: string; host: string; n: number };

function toCount(row: RawCount): WorkspaceCount {
  return { runtime: row.runtime, digest: row.runtime_image_digest, status: row.status, host: row.host, n: row.n };
}

/**
 * Folds the deltas when they outnumber their groups (shouldFold), else leaves them: a fleet at
 * rest is not rewritten every time. Returns whether it folded.
 */
export async function foldWorkspaceCountsIfNeeded(db: Db): Promise<boolean> {
  // Raw: a count of groups over a grouped count (a subquery), which the model API cannot nest.
  const [size] = await db.$queryRaw<{ delta_rows: number; groups: number }[]>`
    SELECT coalesce(sum(rows), 0)::int AS delta_rows, count(*)::int AS groups
    FROM (SELECT count(*) AS rows FROM workspace_counts GROUP BY runtime, runtime_image_digest, status, host) AS g`;
  if (!size || !shouldFold(size.delta_rows, size.groups)) return false;
  return foldWorkspaceCounts(db);
}
