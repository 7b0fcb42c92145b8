import "server-only";

import { createHash } from "node:crypto";

import { KNOWN_RUNTIMES, type KnownRuntime } from "@/lib/domain/runtimes";

import type { Db } from "./client";
import { foldWorkspaceCounts } from "./workspace-counts";

// The bench's fleet, written set-based: a million rows one by one through Prisma would take
// hours, one INSERT … SELECT generate_series takes seconds, hence raw SQL (bench only).
// Every value inlined below is a constant of this file (template names, digests, host
// names), never input; the row range goes in as parameters. Row g always gets the same
// values, whatever the batches it is written in.

/** Share of the fleet per template (sums to 100): a few big templates, a long tail. */
export const TEMPLATE_WEIGHTS: Record<KnownRuntime, number> = {
  langgraph: 30,
  "claude-code": 20,
  codex: 12,
  hermes: 10,
  crewai: 8,
  autogen: 6,
  deepagents: 6,
  "gemini-cli": 5,
  openclaw: 3,
};

/**
 * Cumulative percent thresholds of the digest a workspace runs: 88% its template's pin,
 * 4 / 2 / 1% one, two or three digests older (7% stale), 5% none seen yet (NULL).
 */
export const DIGEST_THRESHOLDS: ReadonlyArray<[number, "pin" | "old1" | "old2" | "old3" | "none"]> = [
  [88, "pin"],
  [92, "old1"],
  [94, "old2"],
  [95, "old3"],
  [100, "none"],
];

/** Cumulative percent thresholds of the statuses: 80% online, 2% down, 3% removed and a spread of the rest. */
export const STATUS_THRESHOLDS: ReadonlyArray<[number, string]> = [
  [80, "online"],
  [85, "offline"],
  [87, "down"],
  [89, "failed"],
  [91, "paused"],
  [93, "hibernated"],
  [95, "provisioning"],
  [96, "degraded"],
  [97, "unknown"],
  [100, "removed"],
];

export const BENCH_HOST_COUNT = 20;
export const SEED_PREFIX = "registry.bench.local/molecule-ai";

/** The name of bench host `n` (1-based): bench-host-01 … bench-host-20. */
export function benchHostName(n: number): string {
  return `bench-host-${String(n).padStart(2, "0")}`;
}

/** The digest a bench fleet pins `template` to (`generation` 0), or one of its older digests (1–3). */
export function benchDigest(template: string, generation = 0): string {
  return `sha256:${createHash("sha256").update(`fleetpin-bench ${template} ${generation}`).digest("hex")}`;
}

/** Pins all nine templates to their bench digest. */
export async function seedBenchPins(db: Db): Promise<void> {
  const values = KNOWN_RUNTIMES.map(
    (template) => `('${template}', '${benchDigest(template)}', 'bench@fleetpin.local', 'benchmark pin')`,
  );
  // Raw: one multi-row upsert built from the template list (bench seeding, no user input).
  await db.$executeRawUnsafe(
    `INSERT INTO runtime_image_pins (template_name, digest, updated_by, notes) VALUES ${values.join(", ")}
     ON CONFLICT (template_name) DO UPDATE SET digest = EXCLUDED.digest`,
  );
}

/**
 * Registers the bench's Docker hosts. Their endpoints are sockets that do not exist: a page's
 * host probe fails at once (ENOENT) instead of waiting out a timeout, and nothing reaches an engine.
 */
export async function seedBenchHosts(db: Db): Promise<void> {
  // Raw: INSERT … SELECT over generate_series makes every host in one statement.
  await db.$executeRawUnsafe(
    `INSERT INTO docker_hosts (name, endpoint, labels, created_by)
     SELECT 'bench-host-' || lpad(n::text, 2, '0'),
            'unix:///run/fleetpin-bench/host-' || lpad(n::text, 2, '0') || '.sock',
            jsonb_build_object('region', CASE WHEN n % 2 = 0 THEN 'eu' ELSE 'us' END),
            'bench@fleetpin.local'
     FROM generate_series(1, $1::int) AS n
     ON CONFLICT (name) DO NOTHING`,
    BENCH_HOST_COUNT,
  );
}

/** Adds workspaces `from`..`to` (inclusive, 1-based) in one statement. */
export async function seedBenchWorkspaces(db: Db, from: number, to: number): Promise<void> {
  const cases = <T extends string>(value: string, thresholds: ReadonlyArray<[number, T]>, render: (t: T) => string) =>
    `CASE ${thresholds.map(([limit, label]) => `WHEN ${value} < ${limit} THEN ${render(label)}`).join(" ")} END`;
  let cumulative = 0;
  const templateCase = `CASE ${KNOWN_RUNTIMES.map((template) => {
    cumulative += TEMPLATE_WEIGHTS[template];
    return `WHEN r.t < ${cumulative} THEN '${template}'`;
  }).join(" ")} END`;
  const digestCase = cases("r.d", DIGEST_THRESHOLDS, (label) => (label === "none" ? "NULL" : `dg.${label}`));
  const statusCase = cases("r.s", STATUS_THRESHOLDS, (label) => `'${label}'`);
  const digests = KNOWN_RUNTIMES.map(
    (template) =>
      `('${template}', ${[0, 1, 2, 3].map((generation) => `'${benchDigest(template, generation)}'`).join(", ")})`,
  ).join(", ");

  // Raw: a million rows from generate_series in one set-based INSERT; the model API would send them all.
  await db.$executeRawUnsafe(
    `WITH digests (runtime, pin, old1, old2, old3) AS (VALUES ${digests})
     INSERT INTO workspaces (name, runtime, status, container_id, container_name, runtime_image, runtime_image_digest,
                             host, last_provisioned_at, created_at, updated_at)
     SELECT 'bench-' || lpad(g::text, 7, '0'),
            tpl.runtime,
            (${statusCase})::workspace_status,
            CASE WHEN x.digest IS NOT NULL THEN md5('c' || g) || md5('d' || g) END,
            CASE WHEN x.digest IS NOT NULL THEN 'ws-' || left(md5('n' || g), 12) END,
            '${SEED_PREFIX}/workspace-template-' || tpl.runtime || coalesce('@' || x.digest, ':latest'),
            x.digest,
            'bench-host-' || lpad((1 + r.h)::text, 2, '0'),
            CASE WHEN x.digest IS NOT NULL THEN x.created_at + interval '1 minute' END,
            x.created_at,
            x.created_at + interval '2 minutes'
     FROM generate_series($1::bigint, $2::bigint) AS g
     CROSS JOIN LATERAL (
       SELECT abs(hashint8(g) % 100) AS d, abs(hashint8(-g) % 100) AS s, abs(hashint8(g * 7919) % 100) AS t,
              abs(hashint8(g * 104729) % ${BENCH_HOST_COUNT}) AS h
     ) r
     CROSS JOIN LATERAL (SELECT ${templateCase} AS runtime) tpl
     JOIN digests dg ON dg.runtime = tpl.runtime
     -- 30 s apart from 2025-01-01: a million workspaces over a year, the newest last.
     CROSS JOIN LATERAL (
       SELECT ${digestCase} AS digest, timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => g * 30) AS created_at
     ) x`,
    from,
    to,
  );
}

/**
 * Counts folded, CHECKPOINT, then VACUUM (FREEZE, ANALYZE): a fleet in steady state, as the planner sees it
 * in production, where most rows are old and autovacuum has marked their pages all-visible
 * (index-only scans depend on that). The test server runs with synchronous_commit=off, so
 * until the WAL is flushed VACUUM cannot set the hint bits it needs.
 */
export async function settleBenchFleet(db: Db): Promise<void> {
  // Each batch added its own count deltas: one row per group, as a long-running fleet has them.
  await foldWorkspaceCounts(db);
  // Raw: CHECKPOINT, VACUUM and ANALYZE are maintenance commands, not model operations.
  await db.$executeRawUnsafe("CHECKPOINT");
  await db.$executeRawUnsafe("VACUUM (FREEZE, ANALYZE) workspaces");
  await db.$executeRawUnsafe("ANALYZE runtime_image_pins");
  await db.$executeRawUnsafe("ANALYZE docker_hosts");
  await db.$executeRawUnsafe("VACUUM (ANALYZE) workspace_counts");
}

/** Share of the workspaces table's pages VACUUM marked all-visible (the bench reports it). */
export async function allVisiblePercent(db: Db): Promise<number> {
  // Raw: reads the catalog (pg_class), which has no model.
  const [row] = await db.$queryRawUnsafe<Array<{ pct: number }>>(
    `SELECT round(100.0 * relallvisible / greatest(relpages, 1))::int AS pct FROM pg_class WHERE relname = 'workspaces'`,
  );
  return row?.pct ?? 0;
}

/** Live (not removed) and live stale workspaces, counted straight from the rows: the check of a seed. */
export async function countLiveAndStale(db: Db): Promise<{ live: number; stale: number }> {
  // Raw: two FILTERed counts over the pin join in one scan.
  const [row] = await db.$queryRawUnsafe<Array<{ live: number; stale: number }>>(
    `SELECT count(*) FILTER (WHERE w.status <> 'removed')::int AS live,
            count(*) FILTER (WHERE w.status <> 'removed' AND w.runtime_image_digest <> p.digest)::int AS stale
     FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime`,
  );
  return row ?? { live: 0, stale: 0 };
}

/** Indexes with a WHERE condition, so the bench can say which plans read a partial index. */
export async function partialIndexNames(db: Db): Promise<Set<string>> {
  // Raw: reads the catalog (pg_index), which has no model.
  const rows = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT c.relname::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indpred IS NOT NULL`,
  );
  return new Set(rows.map((row) => row.name));
}
