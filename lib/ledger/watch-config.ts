// The watcher's and cool-down's settings from the env, with per-template overrides. No I/O.
import { TAG_PATTERN } from "@/lib/domain/image-ref";

type Env = Readonly<Record<string, string | undefined>>;

/** The platform's imagewatch asked every 5 minutes. */
export const DEFAULT_WATCH_INTERVAL_SECONDS = 300;
/** Retention is checked at this multiple of the watch interval: digests rarely vanish. */
export const RETENTION_INTERVAL_FACTOR = 1;

/** FLEETPIN_WATCH_INTERVAL in seconds (default 300; fractions allowed for tests); 0 turns the watcher off. */
export function watchIntervalSeconds(env: Env): number {
  const raw = (env.FLEETPIN_WATCH_INTERVAL ?? "").trim();
  const seconds = raw === "" ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_WATCH_INTERVAL_SECONDS;
}

/**
 * The shortest gap between two runs for one template across processes: a little under the interval,
 * so a loop ticking every interval is never skipped for having run a few milliseconds too early.
 */
export function claimGapSeconds(intervalSeconds: number): number {
  return intervalSeconds * 0.9;
}

/** Tags watched for a template: its override, else FLEETPIN_WATCH_TAGS (comma-separated), else `latest`. Invalid names are dropped. */
export function watchedTags(env: Env, override: readonly string[] | null): string[] {
  const source = override ?? (env.FLEETPIN_WATCH_TAGS ?? "").split(",");
  const tags = [...new Set(source.map((tag) => tag.trim()).filter((tag) => TAG_PATTERN.test(tag)))];
  return tags.length > 0 ? tags : ["latest"];
}

/** The cool-down of a template in seconds: its override, else FLEETPIN_MIN_DIGEST_AGE (default 0). */
export function minDigestAgeSeconds(env: Env, override: number | null): number {
  if (override !== null && Number.isFinite(override) && override >= 0) return Math.trunc(override);
  const raw = (env.FLEETPIN_MIN_DIGEST_AGE ?? "").trim();
  const seconds = raw === "" ? 0 : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.trunc(seconds) : 0;
}
