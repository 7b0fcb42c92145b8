// Section 1: the stale-fleet count and the first page of the stale list,
// timed through Fleetpin's own functions, plus EXPLAIN of the SQL they send.
import { allVisiblePercent, countLiveAndStale, partialIndexNames } from "@/lib/db/bench-seed";
import type { Db } from "@/lib/db/client";
import { staleSummary } from "@/lib/db/stale-fleet";
import { listWorkspaces } from "@/lib/db/workspaces";

import type { BenchConfig } from "./config";
import type { BenchDatabase } from "./databases";
import { stats, type Report } from "./report";
import { seedFleet } from "./seed";
import { captureRawQueries, explainAnalyze, planIndexes } from "./sql-capture";
import { queryTarget } from "./targets";
import { timeOnce, timeRuns } from "./timing";

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
    const target = queryTarget(measured.name, backend, rows);
    report.add({
      name: measured.name,
      labels,
      values: { median, p95 },
      ...(target ? { target } : {}),
      samples,
    });
  }

  // The plans of the exact statements the measured functions send.
  const partialIndexes = await partialIndexNames(db);
  for (const measured of MEASURED) {
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

// A seed the stale query disagrees with would make every figure meaningless.
async function checkSeed(db: Db, rows: number): Promise<void> {
  const { live, stale } = await countLiveAndStale(db);
  const summary = await staleSummary(db);
  const total = summary.reduce((sum, row) => sum + row.total, 0);
  const summaryStale = summary.reduce((sum, row) => sum + row.stale, 0);
  if (total !== live || summaryStale !== stale) {
    throw new Error(
      `seed check: staleSummary counts ${total} live / ${summaryStale} stale, SQL counts ${live} / ${stale}`,
    );
  }
  const share = stale / Math.max(1, live);
  if (rows >= 1_000 && (share < 0.05 || share > 0.1))
    throw new Error(`seed check: ${Math.round(share * 100)}% stale, expected ~7%`);
}
