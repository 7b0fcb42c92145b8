// Section 1: the stale-fleet count and the first page of the stale list,
// timed through Fleetpin's own functions, plus EXPLAIN of the SQL they send.
import type { Db } from "@/lib/db/client";
import { staleSummary } from "@/lib/db/stale-fleet";
import { listWorkspaces } from "@/lib/db/workspaces";

import type { BenchConfig } from "./config";
import type { BenchDatabase } from "./databases";
import { stats, type Report } from "./report";
import { seedFleet } from "./seed";
import { captureRawQueries, explainAnalyze, planIndexes } from "./sql-capture";
import { timeOnce, timeRuns } from "./timing";

// Issue #7: "the stale query under 50 ms at 100k rows on PostgreSQL".
const STALE_TARGET_MS = 50;
const TARGET_ROWS = 100_000;

type Measured = { name: string; run: (db: Db) => Promise<unknown> };

const MEASURED: Measured[] = [
  { name: "stale_count_ms", run: (db) => staleSummary(db) },
  { name: "stale_page_ms", run: (db) => listWorkspaces(db, { staleness: "stale" }) },
  { name: "workspaces_page_ms", run: (db) => listWorkspaces(db, {}) },
];

/** Seeds `rows` workspaces into `database` and reports seeding, query timings and plans. */
export async function measureQueries(
  report: Report,
  database: BenchDatabase,
  rows: number,
  config: BenchConfig,
  options: { timings: boolean } = { timings: true },
): Promise<void> {
  const { db, backend } = database;
  const labels = { backend, rows };
  const seeded = await timeOnce(() => seedFleet(db, rows));
  await checkSeed(db, rows);
  // Seeding alone when only the pages were asked for.
  if (!options.timings) return;
  report.add({ name: "seed_ms", labels, values: { ms: seeded.ms, all_visible_pct: await allVisiblePercent(db) } });

  for (const measured of MEASURED) {
    const samples = await timeRuns(() => measured.run(db), { runs: config.queryRuns, warmup: 3 });
    const { median, p95 } = stats(samples);
    const targeted = measured.name !== "workspaces_page_ms" && backend === "postgres" && rows >= TARGET_ROWS;
    report.add({
      name: measured.name,
      labels,
      values: { median, p95 },
      ...(targeted ? { target: { key: "median", op: "<", limit: STALE_TARGET_MS } } : {}),
      samples,
    });
  }

  // The plans of the exact statements the two stale functions send.
  const partialIndexes = await partialIndexNames(db);
  for (const measured of MEASURED.slice(0, 2)) {
    const { queries } = await captureRawQueries(db, measured.run);
    if (queries.length === 0)
      throw new Error(`${measured.name}: captured no SQL; did ${measured.name} stop using $queryRaw?`);
    const plans: string[][] = [];
    for (const sql of queries) plans.push(await explainAnalyze(db, sql));
    const usage = plans.map(planIndexes);
    const indexes = [...new Set(usage.flatMap((u) => u.indexes))].sort();
    const name = measured.name.replace(/_ms$/, "_plan");
    report.add({
      name,
      labels,
      values: {
        statements: queries.length,
        indexes: indexes.join(",") || "none",
        seq_scan_workspaces: usage.filter((u) => u.seqScanWorkspaces).length,
        partial_indexes: indexes.filter((index) => partialIndexes.has(index)).join(",") || "none",
      },
    });
    report.note(
      `plans.${name}.${backend}.${rows}`,
      queries.map((sql, i) => ({ sql: sql.text.trim(), values: sql.values, plan: plans[i] })),
    );
    if (rows === Math.max(...config.querySizes)) {
      plans.forEach((plan, i) => {
        console.log(
          `# EXPLAIN (ANALYZE, BUFFERS) ${name} backend=${backend} rows=${rows} statement ${i + 1}/${queries.length}`,
        );
        for (const line of plan) console.log(`#   ${line}`);
      });
    }
  }
}

/**
 * Share of the table's pages VACUUM could mark all-visible. Index-only scans
 * need it; when it is low the planner prefers a sequential scan, so the figure
 * explains the plan.
 */
async function allVisiblePercent(db: Db): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ pct: number }>>(
    `SELECT round(100.0 * relallvisible / greatest(relpages, 1))::int AS pct FROM pg_class WHERE relname = 'workspaces'`,
  );
  return row?.pct ?? 0;
}

/** Indexes with a WHERE condition, to show which plans read a partial index. */
async function partialIndexNames(db: Db): Promise<Set<string>> {
  const rows = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT c.relname::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indpred IS NOT NULL`,
  );
  return new Set(rows.map((row) => row.name));
}

// A seed the stale query disagrees with would make every figure meaningless.
async function checkSeed(db: Db, rows: number): Promise<void> {
  const [{ live, stale }] = (await db.$queryRawUnsafe<Array<{ live: number; stale: number }>>(
    `SELECT count(*) FILTER (WHERE w.status <> 'removed')::int AS live,
            count(*) FILTER (WHERE w.status <> 'removed' AND w.runtime_image_digest <> p.digest)::int AS stale
     FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime`,
  )) as [{ live: number; stale: number }];
  const summary = await staleSummary(db);
  const total = summary.reduce((sum, row) => sum + row.total, 0);
  const summaryStale = summary.reduce((sum, row) => sum + row.stale, 0);
  if (total !== live || summaryStale !== stale) {
    throw new Error(
      `seed check: staleSummary counts ${total} live / ${summaryStale} stale, SQL counts ${live} / ${stale}`,
    );
  }
  const share = stale / Math.max(1, live);
  if (rows >= 1_000 && (share < 0.15 || share > 0.25))
    throw new Error(`seed check: ${Math.round(share * 100)}% stale, expected ~20%`);
}
