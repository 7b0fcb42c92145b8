import "server-only";

import type { Db } from "@/lib/db/client";

/** Which periodic job a claim is for: the tag watcher or the retention check. */
export type WatchJob = "watch" | "retention";

/**
 * Claims a template for one run of `job` unless a run (by any process) claimed it less than
 * `minGapSeconds` ago: so two dashboard processes sharing a database check each template once per
 * interval between them, and a process that died mid-run is replaced after the gap.
 * Returns true when this caller holds the claim.
 */
export async function claimTemplateJob(
  db: Db,
  templateName: string,
  job: WatchJob,
  holder: string,
  minGapSeconds: number,
): Promise<boolean> {
  const gap = Math.max(0, minGapSeconds);
  // Raw: INSERT … ON CONFLICT DO NOTHING makes sure the row exists without a read first.
  await db.$executeRaw`INSERT INTO template_watch (template_name) VALUES (${templateName}) ON CONFLICT (template_name) DO NOTHING`;
  // Conditional UPDATE … RETURNING: the claim and its check are one atomic statement (the model API has no such claim).
  const rows =
    job === "watch"
      ? await db.$queryRaw<unknown[]>`
          UPDATE template_watch SET watch_claimed_at = now(), watch_claimed_by = ${holder}
          WHERE template_name = ${templateName}
            AND (watch_claimed_at IS NULL OR watch_claimed_at <= now() - make_interval(secs => ${gap}::double precision))
          RETURNING template_name`
      : await db.$queryRaw<unknown[]>`
          UPDATE template_watch SET retention_claimed_at = now()
          WHERE template_name = ${templateName}
            AND (retention_claimed_at IS NULL OR retention_claimed_at <= now() - make_interval(secs => ${gap}::double precision))
          RETURNING template_name`;
  return rows.length > 0;
}

/** The outcome of one watcher run of a template: null error = every watched tag was read. */
export async function recordWatchOutcome(db: Db, templateName: string, error: string | null): Promise<void> {
  const now = new Date();
  await db.templateWatch.update({
    where: { templateName },
    data:
      error === null
        ? { watchOkAt: now, watchError: null, watchErrorAt: null }
        : { watchError: error.slice(0, 1000), watchErrorAt: now },
  });
}

/** The outcome of one retention check of a template (null = it could ask the registry). */
export async function recordRetentionOutcome(db: Db, templateName: string, error: string | null): Promise<void> {
  await db.templateWatch.update({
    where: { templateName },
    data: { retentionError: error === null ? null : error.slice(0, 1000) },
  });
}

/** When the registry asked us to wait, until when; null when it did not (or the wait is over). */
export async function registryBackoffUntil(db: Db, registry: string): Promise<{ until: Date; reason: string } | null> {
  const row = await db.registryBackoff.findUnique({ where: { registry } });
  return row && row.until.getTime() > Date.now() ? { until: row.until, reason: row.reason } : null;
}

/** Records a 429's Retry-After for `registry`: nobody watching asks it again before `until`. */
export async function setRegistryBackoff(db: Db, registry: string, until: Date, reason: string): Promise<void> {
  await db.registryBackoff.upsert({
    where: { registry },
    create: { registry, until, reason: reason.slice(0, 500) },
    update: { until, reason: reason.slice(0, 500) },
  });
}
