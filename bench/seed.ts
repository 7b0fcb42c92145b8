// Seeds a realistic fleet in one INSERT … SELECT generate_series: all nine
// templates pinned, ~70% of workspaces on their pin, ~20% on one of three older
// digests (stale), ~10% never seen (unknown digest), a spread of statuses and
// a year of creation times. Deterministic: row g always gets the same values.
import { createHash } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";

// Share of the fleet per template (sums to 100): a few big templates, a long tail.
const TEMPLATE_WEIGHTS: Record<(typeof KNOWN_RUNTIMES)[number], number> = {
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

// Cumulative percent thresholds: online 80, offline 8, failed 3, paused 2, hibernated 2, provisioning 2, removed 3.
const STATUS_THRESHOLDS: Array<[number, string]> = [
  [80, "online"],
  [88, "offline"],
  [91, "failed"],
  [93, "paused"],
  [95, "hibernated"],
  [97, "provisioning"],
  [100, "removed"],
];

export const SEED_PREFIX = "registry.bench.local/molecule-ai";

/** The digest a bench fleet pins `template` to (`generation` 0), or one of its older digests (1–3). */
export function benchDigest(template: string, generation = 0): string {
  return `sha256:${createHash("sha256").update(`fleetpin-bench ${template} ${generation}`).digest("hex")}`;
}

/** Pins all nine templates to their bench digest. */
export async function seedPins(db: Db): Promise<void> {
  const values = KNOWN_RUNTIMES.map(
    (template) => `('${template}', '${benchDigest(template)}', 'bench@fleetpin.local', 'benchmark pin')`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO runtime_image_pins (template_name, digest, updated_by, notes) VALUES ${values.join(", ")}
     ON CONFLICT (template_name) DO UPDATE SET digest = EXCLUDED.digest`,
  );
}

/**
 * Adds workspaces `from`..`to` (inclusive) in one statement. Every value is a constant this
 * file builds (template names, digests), never input, so inlining them is safe.
 */
export async function seedWorkspaces(db: Db, from: number, to: number): Promise<void> {
  let cumulative = 0;
  const templateCase = KNOWN_RUNTIMES.map((template) => {
    cumulative += TEMPLATE_WEIGHTS[template];
    return `WHEN r.t < ${cumulative} THEN '${template}'`;
  }).join(" ");
  const statusCase = STATUS_THRESHOLDS.map(([limit, status]) => `WHEN r.s < ${limit} THEN '${status}'`).join(" ");
  const digests = KNOWN_RUNTIMES.map(
    (template) =>
      `('${template}', '${benchDigest(template, 0)}', '${benchDigest(template, 1)}', '${benchDigest(template, 2)}', '${benchDigest(template, 3)}')`,
  ).join(", ");

  await db.$executeRawUnsafe(`
    WITH digests (runtime, pin, old1, old2, old3) AS (VALUES ${digests})
    INSERT INTO workspaces (name, runtime, status, container_id, container_name, runtime_image, runtime_image_digest,
                            last_provisioned_at, created_at, updated_at)
    SELECT 'bench-' || lpad(g::text, 7, '0'),
           tpl.runtime,
           (CASE ${statusCase} END)::workspace_status,
           CASE WHEN x.digest IS NOT NULL THEN md5('c' || g) || md5('d' || g) END,
           CASE WHEN x.digest IS NOT NULL THEN 'ws-' || left(md5('n' || g), 12) END,
           '${SEED_PREFIX}/workspace-template-' || tpl.runtime || coalesce('@' || x.digest, ':latest'),
           x.digest,
           CASE WHEN x.digest IS NOT NULL THEN x.created_at + interval '1 minute' END,
           x.created_at,
           x.created_at + interval '2 minutes'
    FROM generate_series(${from}::bigint, ${to}::bigint) AS g
    CROSS JOIN LATERAL (SELECT abs(hashint8(g) % 100) AS d, abs(hashint8(-g) % 100) AS s, abs(hashint8(g * 7919) % 100) AS t) r
    CROSS JOIN LATERAL (SELECT CASE ${templateCase} END AS runtime) tpl
    JOIN digests dg ON dg.runtime = tpl.runtime
    CROSS JOIN LATERAL (
      SELECT CASE WHEN r.d < 70 THEN dg.pin
                  WHEN r.d < 90 THEN (ARRAY[dg.old1, dg.old2, dg.old3])[1 + g % 3]
             END AS digest,
             timestamptz '2026-01-01 00:00:00+00' - make_interval(secs => (${to} - g) * 300) AS created_at
    ) x`);
}

/**
 * Pins plus `rows` workspaces, then CHECKPOINT and VACUUM (FREEZE, ANALYZE): a
 * fleet in steady state, as the planner sees it in production, where most rows
 * are old and autovacuum has marked their pages all-visible (index-only scans
 * depend on that). The test server runs with synchronous_commit=off, so until
 * the WAL is flushed VACUUM cannot set the hint bits it needs and would leave
 * the visibility map empty: the report's all_visible_pct shows the result.
 */
export async function seedFleet(db: Db, rows: number): Promise<void> {
  await seedPins(db);
  await seedWorkspaces(db, 1, rows);
  await db.$executeRawUnsafe("CHECKPOINT");
  await db.$executeRawUnsafe("VACUUM (FREEZE, ANALYZE) workspaces");
  await db.$executeRawUnsafe("ANALYZE runtime_image_pins");
}
