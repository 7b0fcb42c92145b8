/** Settings of what Fleetpin talks to besides Docker: the API, the digest ledger's watcher, webhooks. */
import { TAG_PATTERN } from "@/lib/domain/image-ref";

import { issue, oneOf, optionalText, seconds, text, wholeNumber } from "./fields";
import { defineSlice } from "./slice";

/** Calls per token per minute when FLEETPIN_API_RATE_LIMIT is not set: ten a second, far above what a CI job needs. */
export const DEFAULT_API_RATE_LIMIT = 600;

export interface ApiConfig {
  /** Calls per API token per minute on /api/v1. */
  rateLimitPerMinute: number;
}

export const api = defineSlice(
  { FLEETPIN_API_RATE_LIMIT: wholeNumber("FLEETPIN_API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT, 1, 1_000_000) },
  (values): ApiConfig => ({ rateLimitPerMinute: values.FLEETPIN_API_RATE_LIMIT }),
);

/** The platform's imagewatch asked every 5 minutes. */
export const DEFAULT_WATCH_INTERVAL_SECONDS = 300;

export interface LedgerConfig {
  /** Seconds between tag watcher passes (fractions for tests); 0 turns the watcher and retention check off. */
  watchIntervalSeconds: number;
  /** Tags watched for every template unless a template overrides them. */
  watchTags: readonly string[];
  /** Cool-down: seconds a digest must be known before it is promoted without an override. */
  minDigestAgeSeconds: number;
  /** The bearer token of the registry's notifications; null refuses every event. */
  registryEventsToken: string | null;
}

export const ledger = defineSlice(
  {
    FLEETPIN_WATCH_INTERVAL: seconds("FLEETPIN_WATCH_INTERVAL", { fallback: DEFAULT_WATCH_INTERVAL_SECONDS, min: 0 }),
    FLEETPIN_WATCH_TAGS: text("latest"),
    FLEETPIN_MIN_DIGEST_AGE: seconds("FLEETPIN_MIN_DIGEST_AGE", { fallback: 0, min: 0, whole: true }),
    FLEETPIN_REGISTRY_EVENTS_TOKEN: optionalText(),
  },
  (values, ctx): LedgerConfig => {
    const tags = [
      ...new Set(
        values.FLEETPIN_WATCH_TAGS.split(",")
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ];
    const bad = tags.filter((tag) => !TAG_PATTERN.test(tag));
    if (bad.length > 0)
      issue(
        ctx,
        "FLEETPIN_WATCH_TAGS",
        `FLEETPIN_WATCH_TAGS takes comma-separated tag names; not a tag: ${bad.join(", ")}`,
      );
    return {
      watchIntervalSeconds: values.FLEETPIN_WATCH_INTERVAL,
      watchTags: tags.length > 0 ? tags : ["latest"],
      minDigestAgeSeconds: values.FLEETPIN_MIN_DIGEST_AGE,
      registryEventsToken: values.FLEETPIN_REGISTRY_EVENTS_TOKEN ?? null,
    };
  },
);

export const DEFAULT_WEBHOOK_RETRY_BASE_SECONDS = 30;

export interface WebhooksConfig {
  /** First wait before a failed delivery is tried again; it doubles per attempt. */
  retryBaseSeconds: number;
}

export const webhooks = defineSlice(
  {
    FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS: seconds("FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS", {
      fallback: DEFAULT_WEBHOOK_RETRY_BASE_SECONDS,
      min: 0,
      exclusive: true,
    }),
  },
  (values): WebhooksConfig => ({ retryBaseSeconds: values.FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS }),
);

export interface WorkersConfig {
  /** Most operation items running at once on one Docker host, across every process. */
  hostConcurrency: number;
  /** Most operation items one process runs at once; null = the host limit times the registered hosts. */
  workerConcurrency: number | null;
  /** How often the job runner looks for jobs whose worker stopped heart-beating. */
  jobsSuperviseSeconds: number;
  /** Base64 of the 32-byte key sealing Docker hosts' TLS material; unset on PGlite = a key file in the data folder. */
  secretKey: string | null;
  /** What a queued item does when its host does not answer: `fail` at once, or `wait` (retried) until it answers. */
  unreachableHost: "fail" | "wait";
}

export const workers = defineSlice(
  {
    FLEETPIN_HOST_CONCURRENCY: wholeNumber("FLEETPIN_HOST_CONCURRENCY", 4, 1, 64),
    // Blank → 0, read as "auto" below (the range check applies to what an operator writes).
    FLEETPIN_WORKER_CONCURRENCY: wholeNumber("FLEETPIN_WORKER_CONCURRENCY", 0, 1, 256),
    FLEETPIN_JOBS_SUPERVISE_SECONDS: seconds("FLEETPIN_JOBS_SUPERVISE_SECONDS", {
      fallback: 60,
      min: 0,
      exclusive: true,
    }),
    FLEETPIN_SECRET_KEY: optionalText(),
    FLEETPIN_UNREACHABLE_HOST: oneOf("FLEETPIN_UNREACHABLE_HOST", ["fail", "wait"] as const, "fail"),
  },
  (values, ctx): WorkersConfig => {
    const key = values.FLEETPIN_SECRET_KEY ?? null;
    if (key !== null && Buffer.from(key, "base64").length !== 32) {
      issue(
        ctx,
        "FLEETPIN_SECRET_KEY",
        "FLEETPIN_SECRET_KEY must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).",
      );
    }
    return {
      hostConcurrency: values.FLEETPIN_HOST_CONCURRENCY,
      workerConcurrency: values.FLEETPIN_WORKER_CONCURRENCY || null,
      jobsSuperviseSeconds: values.FLEETPIN_JOBS_SUPERVISE_SECONDS,
      secretKey: key,
      unreachableHost: values.FLEETPIN_UNREACHABLE_HOST,
    };
  },
);
