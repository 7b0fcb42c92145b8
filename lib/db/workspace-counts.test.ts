import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import type { Db } from "./client";
import {
  countedWorkspaceGroups,
  foldWorkspaceCounts,
  foldWorkspaceCountsIfNeeded,
  maintainedWorkspaceCounts,
} from "./workspace-counts";

// The counts the triggers keep must equal a full GROUP BY count after anything: inserts, digest,
// status (incl. removed) and host changes, deletes, upserts, rolled-back transactions and folds,
// from several connections at once (PostgreSQL's pool; PGlite's one connection interleaves them).

const RUNTIMES = ["langgraph", "codex", "hermes"];
const DIGESTS = [`sha256:${"a".repeat(64)}`, `sha256:${"b".repeat(64)}`, null];
const STATUSES = ["online", "down", "offline", "removed", "provisioning"];
const HOSTS = ["local", "eu-1", "us-1"];

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One random change; several of them may share a transaction.
async function change(tx: Tx, next: () => number): Promise<void> {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const k = 1 + Math.floor(next() * 4);
  // Rows picked at random, so concurrent changes lock rows in different orders.
  const someIds = `(SELECT id FROM workspaces ORDER BY md5(id::text || '${next()}') LIMIT ${k})`;
  switch (pick(["insert", "digest", "status", "host", "delete", "touch", "upsert"] as const)) {
    case "insert":
      await tx.$executeRawUnsafe(
        `INSERT INTO workspaces (name, runtime, runtime_image_digest, status, host)
         SELECT 'drift-' || g, $1, $2, $3::workspace_status, $4 FROM generate_series(1, $5::int) AS g`,
        pick(RUNTIMES),
        pick(DIGESTS),
        pick(STATUSES),
        pick(HOSTS),
        k,
      );
      return;
    case "digest":
      await tx.$executeRawUnsafe(
        `UPDATE workspaces SET runtime_image_digest = $1 WHERE id IN ${someIds}`,
        pick(DIGESTS),
      );
      return;
    case "status":
      await tx.$executeRawUnsafe(
        `UPDATE workspaces SET status = $1::workspace_status WHERE id IN ${someIds}`,
        pick(STATUSES),
      );
      return;
    case "host":
      await tx.$executeRawUnsafe(
        `UPDATE workspaces SET host = $1, runtime = $2 WHERE id IN ${someIds}`,
        pick(HOSTS),
        pick(RUNTIMES),
      );
      return;
    case "delete":
      await tx.$executeRawUnsafe(`DELETE FROM workspaces WHERE id IN ${someIds}`);
      return;
    case "touch":
      // A heartbeat: no counted column changes, so nothing may be counted.
      await tx.$executeRawUnsafe(`UPDATE workspaces SET updated_at = now(), locked_at = now() WHERE id IN ${someIds}`);
      return;
    case "upsert":
      await tx.$executeRawUnsafe(
        `INSERT INTO workspaces (id, name, runtime, status)
         SELECT coalesce((SELECT id FROM workspaces ORDER BY md5(id::text || '${next()}') LIMIT 1), gen_random_uuid()),
                'drift-upsert', $1, $2::workspace_status
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, runtime = EXCLUDED.runtime`,
        pick(RUNTIMES),
        pick(STATUSES),
      );
      return;
  }
}

class Rollback extends Error {}

// Lock waits on a busy 2-core machine can outlast Prisma's 5 s default for a transaction.
const WAIT = { maxWait: 60_000, timeout: 60_000 };

// PostgreSQL picks a victim when two transactions wait on each other's rows (40P01), and
// serialization errors can end a statement too: that transaction is rolled back, which is one more
// thing the counts must survive. Anything else is a failure.
function expectedAbort(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return error instanceof Rollback || /rolled back on purpose|deadlock|40P01|could not serialize/i.test(text);
}

// How many transactions are open at once, at most: PostgreSQL must really run them side by side.
const open = { now: 0, max: 0 };

async function worker(db: Db, seed: number, steps: number): Promise<{ committed: number; aborted: number }> {
  const next = random(seed);
  let committed = 0;
  let aborted = 0;
  for (let i = 0; i < steps; i++) {
    const roll = next();
    try {
      if (roll < 0.1) {
        await foldWorkspaceCounts(db);
      } else {
        const changes = 1 + Math.floor(next() * 3);
        const rollBack = next() < 0.2;
        await db.$transaction(async (tx) => {
          open.max = Math.max(open.max, ++open.now);
          try {
            for (let c = 0; c < changes; c++) await change(tx, next);
            if (rollBack) throw new Rollback("rolled back on purpose");
          } finally {
            open.now--;
          }
        }, WAIT);
      }
      committed++;
    } catch (error) {
      if (!expectedAbort(error)) throw error;
      aborted++;
    }
  }
  return { committed, aborted };
}

describe.each(availableBackends())("workspace counts on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["workspaces"] });

  it("equal a full GROUP BY count after random concurrent changes, rollbacks and folds", async () => {
    await db().$executeRawUnsafe(
      `INSERT INTO workspaces (name, runtime, runtime_image_digest, status, host)
       SELECT 'start-' || g, (ARRAY['langgraph','codex','hermes'])[1 + g % 3], CASE WHEN g % 4 = 0 THEN NULL ELSE 'sha256:' || repeat('a', 64) END,
              (ARRAY['online','down','removed']::workspace_status[])[1 + g % 3], (ARRAY['local','eu-1','us-1'])[1 + g % 3]
       FROM generate_series(1, 200) AS g`,
    );
    const results = await Promise.all([11, 22, 33, 44, 55, 66].map((seed) => worker(db(), seed, 40)));
    expect(results.reduce((sum, r) => sum + r.committed, 0)).toBeGreaterThan(100);
    expect(results.reduce((sum, r) => sum + r.aborted, 0)).toBeGreaterThan(0);
    if (backend === "postgres") expect(open.max).toBeGreaterThan(1);

    const counted = await countedWorkspaceGroups(db());
    expect(counted.length).toBeGreaterThan(5);
    expect(await maintainedWorkspaceCounts(db())).toEqual(counted);
    // And still after one last fold, now with nothing else running.
    await foldWorkspaceCounts(db());
    expect(await maintainedWorkspaceCounts(db())).toEqual(counted);
    const [rows] = await db().$queryRawUnsafe<Array<{ n: number }>>("SELECT count(*)::int AS n FROM workspace_counts");
    expect(rows?.n).toBe(counted.length);
  });

  it("are folded only once the deltas outnumber their groups", async () => {
    // One statement per loop turn, so one delta row each.
    const insert = (times: number) =>
      db().$executeRawUnsafe(
        `DO $$ BEGIN FOR i IN 1..${times} LOOP
           INSERT INTO workspaces (name, runtime, status) SELECT 'f-' || g, 'codex', 'online' FROM generate_series(1, 2) AS g;
         END LOOP; END $$`,
      );
    await insert(1);
    expect(await foldWorkspaceCountsIfNeeded(db())).toBe(false);
    await insert(1_002);
    expect(await foldWorkspaceCountsIfNeeded(db())).toBe(true);
    const [rows] = await db().$queryRawUnsafe<Array<{ n: number }>>("SELECT count(*)::int AS n FROM workspace_counts");
    expect(rows?.n).toBe(1);
    expect(await maintainedWorkspaceCounts(db())).toEqual(await countedWorkspaceGroups(db()));
  });

  it("go with the rows on TRUNCATE", async () => {
    await db().$executeRawUnsafe(
      `INSERT INTO workspaces (name, runtime, status) SELECT 'x-' || g, 'codex', 'online' FROM generate_series(1, 5) AS g`,
    );
    expect(await maintainedWorkspaceCounts(db())).toHaveLength(1);
    await db().$executeRawUnsafe("TRUNCATE workspaces CASCADE");
    expect(await maintainedWorkspaceCounts(db())).toEqual([]);
  });
});
