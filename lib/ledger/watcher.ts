import "server-only";

import { hostname } from "node:os";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { currentTagPointers, recordSighting } from "@/lib/db/ledger/record-digest";
import { templateSettings } from "@/lib/db/ledger/template-settings";
import {
  claimTemplateJob,
  recordWatchOutcome,
  registryBackoffUntil,
  setRegistryBackoff,
} from "@/lib/db/ledger/watch-claims";
import { errorMessage } from "@/lib/domain/errors";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { RegistryResponseError } from "@/lib/provisioner/registry/errors";
import { mapLimit } from "@/lib/util/map-limit";

import { fillMissingMetadata } from "./metadata-fill";
import { templateRegistry, type RegistryClientFactory, type TemplateRegistry } from "./template-registry";
import { claimGapSeconds, watchedTags, watchIntervalSeconds } from "./watch-config";

/** What a tick needs; tests and the bench pass their own env, template list and client factory. */
export type WatchDeps = {
  db: Db;
  env?: Env;
  /** Who claims (host:pid by default), shown in template_watch. */
  holder?: string;
  templates?: readonly string[];
  registryFor?: RegistryClientFactory;
};

/** One template's part of a tick. `claimed` false: another run had it within the interval. */
export type TemplateWatchResult = {
  templateName: string;
  claimed: boolean;
  newDigests: string[];
  movedTags: { tag: string; digest: string }[];
  error: string | null;
};

/** This process's name in claims. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}`;

/**
 * One watcher tick over every template: per watched tag one HEAD (never a GET while the digest is
 * unchanged); a tag pointing somewhere new records a sighting, a digest never seen becomes a
 * candidate (never promoted here), and its manifest and config are read once. A template's failure
 * is stored on it (template_watch) and never stops the others; a 429 backs its registry off.
 */
export async function runWatchTick(deps: WatchDeps): Promise<TemplateWatchResult[]> {
  const env = deps.env;
  const gap = claimGapSeconds(watchIntervalSeconds(env));
  return mapLimit(deps.templates ?? KNOWN_RUNTIMES, 4, (templateName) => watchTemplate(deps, env, templateName, gap));
}

async function watchTemplate(
  deps: WatchDeps,
  env: Env | undefined,
  templateName: string,
  gap: number,
): Promise<TemplateWatchResult> {
  const result: TemplateWatchResult = { templateName, claimed: false, newDigests: [], movedTags: [], error: null };
  const { db } = deps;
  try {
    if (!(await claimTemplateJob(db, templateName, "watch", deps.holder ?? PROCESS_HOLDER, gap))) return result;
    result.claimed = true;
    const where = templateRegistry(templateName, env, deps.registryFor);
    const backoff = await registryBackoffUntil(db, where.client.registry);
    if (backoff) {
      result.error = `not asked: registry ${where.client.registry} asked to wait until ${backoff.until.toISOString()} (${backoff.reason})`;
    } else {
      const { errors, backedOff } = await checkTags(db, env, templateName, where, result);
      const metadataError = backedOff ? null : await fillMissingMetadata(db, templateName, where, env);
      if (metadataError) errors.push(metadataError);
      result.error = errors.length > 0 ? errors.join("; ") : null;
    }
    await recordWatchOutcome(db, templateName, result.error);
  } catch (error) {
    result.error = errorMessage(error);
    await recordWatchOutcome(db, templateName, result.error).catch(() => undefined);
  }
  return result;
}

/** HEADs each watched tag; returns one message per tag that could not be read, and whether the registry said 429. */
async function checkTags(
  db: Db,
  env: Env | undefined,
  templateName: string,
  where: TemplateRegistry,
  result: TemplateWatchResult,
): Promise<{ errors: string[]; backedOff: boolean }> {
  const [settings, pointers] = await Promise.all([
    templateSettings(db, templateName),
    currentTagPointers(db, templateName),
  ]);
  const errors: string[] = [];
  for (const tag of watchedTags(env, settings.watchedTags)) {
    try {
      const head = await where.client.headManifest(where.repository, tag);
      if (head === null) {
        errors.push(`tag "${tag}" not found in ${where.client.registry}/${where.repository}`);
        continue;
      }
      // A registry without Docker-Content-Digest: the one client hashes the manifest body instead.
      const digest = head.digest ?? (await where.client.resolveDigest(where.repository, tag));
      if (pointers.get(tag) === digest) continue;
      const sighting = await recordSighting(db, { templateName, digest, via: "watcher", tag });
      if (sighting.newDigest) result.newDigests.push(digest);
      if (sighting.tagMoved) result.movedTags.push({ tag, digest });
    } catch (error) {
      errors.push(`tag "${tag}": ${errorMessage(error)}`);
      if (error instanceof RegistryResponseError && error.status === 429) {
        const waitMs = error.retryAfterMs ?? watchIntervalSeconds(env) * 1000;
        await setRegistryBackoff(
          db,
          where.client.registry,
          new Date(Date.now() + waitMs),
          "HTTP 429 too many requests",
        );
        return { errors, backedOff: true };
      }
    }
  }
  return { errors, backedOff: false };
}
