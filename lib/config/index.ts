/**
 * Fleetpin's configuration: `loadConfig` parses the environment once against the one schema and
 * stops on any wrong value with a message naming the variable; `appConfig()` is the process-wide
 * result. Code takes the slice it needs as a parameter, with the process-wide slice as default,
 * so tests pass plain objects. The `*Config(env?)` readers parse just one area of a given env
 * (tests, and callers handed an env of their own), or return the process-wide slice.
 */
import { z } from "zod";

import { type AuthConfig, auth, type LogConfig, log, type ServerConfig, server } from "./auth";
import { type DatabaseConfig, database } from "./database";
import { docker, type DockerConfig, images, type ImagesConfig } from "./docker";
import type { Env } from "./env";
import { ConfigError } from "./errors";
import {
  api,
  type ApiConfig,
  ledger,
  type LedgerConfig,
  webhooks,
  type WebhooksConfig,
  workers,
  type WorkersConfig,
} from "./integrations";
import { registry, type RegistryConfig } from "./registry";
import { type Config, CONFIG_VARIABLES, configSchema } from "./schema";
import type { Slice } from "./slice";
import {
  healthGate,
  type HealthGateConfig,
  liveState,
  type LiveStateConfig,
  repair,
  type RepairConfig,
  reprovision,
  type ReprovisionConfig,
} from "./workspaces";

export type { Env } from "./env";
export { ConfigError } from "./errors";
export { type Config, CONFIG_VARIABLES, configSchema } from "./schema";
export type { AuthConfig, LogConfig, LogLevel, ServerConfig } from "./auth";
export type { DatabaseConfig } from "./database";
export type { ApiConfig, LedgerConfig, WebhooksConfig, WorkersConfig } from "./integrations";
export {
  DEFAULT_API_RATE_LIMIT,
  DEFAULT_WATCH_INTERVAL_SECONDS,
  DEFAULT_WEBHOOK_RETRY_BASE_SECONDS,
} from "./integrations";
export type { DockerConfig, ImagesConfig } from "./docker";
export type { RegistryConfig, RegistryCredentials } from "./registry";
export type { HealthGateConfig, LiveStateConfig, RepairConfig, ReprovisionConfig } from "./workspaces";

function problems(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}

/** Parses `env` against the schema: the frozen config, or a ConfigError listing every wrong variable. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problems(parsed.error));
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

let current: { fingerprint: string; config: Config } | undefined;

/**
 * The process-wide config, parsed from process.env on first use (start-up calls it first, so a
 * wrong value stops the process there). Parsed again only if a configuration variable changed
 * since, which happens in tests (vi.stubEnv), never in a running server.
 */
export function appConfig(): Config {
  const fingerprint = JSON.stringify(CONFIG_VARIABLES.map((name) => process.env[name] ?? null));
  if (current?.fingerprint !== fingerprint) current = { fingerprint, config: loadConfig(process.env) };
  return current.config;
}

/** One area of `env` alone, or of the process-wide config when no env is given. */
function reader<S extends z.ZodRawShape, T>(slice: Slice<S, T>, pick: (config: Config) => T) {
  const schema = z.object(slice.shape).transform((values, ctx) => slice.build(values, ctx));
  return (env?: Env): T => {
    if (env === undefined) return pick(appConfig());
    const parsed = schema.safeParse(env);
    if (!parsed.success) throw new ConfigError(problems(parsed.error));
    return deepFreeze(parsed.data as T);
  };
}

export const databaseConfig = reader<typeof database.shape, DatabaseConfig>(database, (c) => c.database);
export const dockerConfig = reader<typeof docker.shape, DockerConfig>(docker, (c) => c.docker);
export const imagesConfig = reader<typeof images.shape, ImagesConfig>(images, (c) => c.images);
export const registryConfig = reader<typeof registry.shape, RegistryConfig>(registry, (c) => c.registry);
export const reprovisionConfig = reader<typeof reprovision.shape, ReprovisionConfig>(reprovision, (c) => c.reprovision);
export const healthGateConfig = reader<typeof healthGate.shape, HealthGateConfig>(healthGate, (c) => c.healthGate);
export const repairConfig = reader<typeof repair.shape, RepairConfig>(repair, (c) => c.repair);
export const liveStateConfig = reader<typeof liveState.shape, LiveStateConfig>(liveState, (c) => c.liveState);
export const authConfig = reader<typeof auth.shape, AuthConfig>(auth, (c) => c.auth);
export const serverConfig = reader<typeof server.shape, ServerConfig>(server, (c) => c.server);
export const logConfig = reader<typeof log.shape, LogConfig>(log, (c) => c.log);
export const apiConfig = reader<typeof api.shape, ApiConfig>(api, (c) => c.api);
export const ledgerConfig = reader<typeof ledger.shape, LedgerConfig>(ledger, (c) => c.ledger);
export const webhooksConfig = reader<typeof webhooks.shape, WebhooksConfig>(webhooks, (c) => c.webhooks);
export const workersConfig = reader<typeof workers.shape, WorkersConfig>(workers, (c) => c.workers);

export { DEFAULT_PGLITE_DIR } from "./database";
export { DEFAULT_IMAGE_PLATFORM } from "./docker";
export { DEFAULT_REGISTRY_PREFIX, normalizeRegistryPrefix, parseInsecureRegistries } from "./registry";
export { LOG_LEVELS, MAX_TRUSTED_PROXIES } from "./auth";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_CONTAINER_NETWORK,
  DEFAULT_HEALTH_SETTLE_SECONDS,
  DEFAULT_HEALTH_TIMEOUT_SECONDS,
  DEFAULT_LOCK_STALE_SECONDS,
  DEFAULT_RECONCILE_INTERVAL_SECONDS,
  DEFAULT_REPAIR_INTERVAL_SECONDS,
  DEFAULT_STOP_TIMEOUT_SECONDS,
  MAX_CONCURRENCY,
} from "./workspaces";
