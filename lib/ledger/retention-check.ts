import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { pinnedTemplateHistories, recordRetention } from "@/lib/db/ledger/retention";
import { claimTemplateJob, recordRetentionOutcome, registryBackoffUntil } from "@/lib/db/ledger/watch-claims";
import { errorMessage } from "@/lib/domain/errors";

import { retainedDigests } from "./retention-targets";
import { templateRegistry, type RegistryClientFactory } from "./template-registry";
import { claimGapSeconds, RETENTION_INTERVAL_FACTOR, watchIntervalSeconds } from "./watch-config";
import { PROCESS_HOLDER } from "./watcher";

/** One template's retention result: the digests checked and those the registry no longer has. */
export type RetentionResult = { templateName: string; checked: string[]; missing: string[]; error: string | null };

/**
 * HEADs (by digest) the pin and every rollback target of each pinned template, so a digest the
 * registry lost shows as a banner before a reprovision or rollback fails on it. Claimed per
 * template like the watcher; a registry failure is stored on the template, never thrown.
 */
export async function runRetentionCheck(deps: {
  db: Db;
  env?: Env;
  templates?: readonly string[];
  registryFor?: RegistryClientFactory;
  force?: boolean;
}): Promise<RetentionResult[]> {
  const env = deps.env;
  const gap = deps.force ? 0 : claimGapSeconds(watchIntervalSeconds(env) * RETENTION_INTERVAL_FACTOR);
  const results: RetentionResult[] = [];
  for (const pin of await pinnedTemplateHistories(deps.db, deps.templates)) {
    const result: RetentionResult = { templateName: pin.templateName, checked: [], missing: [], error: null };
    try {
      if (!(await claimTemplateJob(deps.db, pin.templateName, "retention", PROCESS_HOLDER, gap))) continue;
      const where = templateRegistry(pin.templateName, env, deps.registryFor);
      const backoff = await registryBackoffUntil(deps.db, where.client.registry);
      if (backoff)
        throw new Error(`registry ${where.client.registry} asked to wait until ${backoff.until.toISOString()}`);
      const found: { digest: string; present: boolean }[] = [];
      for (const digest of retainedDigests(pin.history, pin.digest)) {
        found.push({ digest, present: await where.client.manifestExists(where.repository, digest) });
      }
      await recordRetention(deps.db, pin.templateName, found);
      result.checked = found.map((entry) => entry.digest);
      result.missing = found.filter((entry) => !entry.present).map((entry) => entry.digest);
    } catch (error) {
      result.error = errorMessage(error);
    }
    await recordRetentionOutcome(deps.db, pin.templateName, result.error).catch(() => undefined);
    results.push(result);
  }
  return results;
}
