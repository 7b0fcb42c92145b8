// The watcher's and cool-down's settings (parsed by lib/config), with per-template overrides. No I/O.
import { ledgerConfig, type Env } from "@/lib/config";
import { TAG_PATTERN } from "@/lib/domain/image-ref";

export { DEFAULT_WATCH_INTERVAL_SECONDS } from "@/lib/config";
/** Retention is checked at this multiple of the watch interval: digests rarely vanish. */
export const RETENTION_INTERVAL_FACTOR = 1;

/** FLEETPIN_WATCH_INTERVAL in seconds (default 300; fractions allowed for tests); 0 turns the watcher off. */
export function watchIntervalSeconds(env?: Env): number {
  return ledgerConfig(env).watchIntervalSeconds;
}

/**
 * The shortest gap between two runs for one template across processes: a little under the interval,
 * so a loop ticking every interval is never skipped for having run a few milliseconds too early.
 */
export function claimGapSeconds(intervalSeconds: number): number {
  return intervalSeconds * 0.9;
}

/** Tags watched for a template: its override, else FLEETPIN_WATCH_TAGS (comma-separated), else `latest`. Invalid names are dropped. */
export function watchedTags(env: Env | undefined, override: readonly string[] | null): string[] {
  if (override === null) return [...ledgerConfig(env).watchTags];
  const tags = [...new Set(override.map((tag) => tag.trim()).filter((tag) => TAG_PATTERN.test(tag)))];
  return tags.length > 0 ? tags : ["latest"];
}

/** The cool-down of a template in seconds: its override, else FLEETPIN_MIN_DIGEST_AGE (default 0). */
export function minDigestAgeSeconds(env: Env | undefined, override: number | null): number {
  if (override !== null && Number.isFinite(override) && override >= 0) return Math.trunc(override);
  return ledgerConfig(env).minDigestAgeSeconds;
}
