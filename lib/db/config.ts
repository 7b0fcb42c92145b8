import { ConfigError, databaseConfig, type DatabaseConfig, type Env } from "@/lib/config";
import { DatabaseUnavailableError } from "@/lib/domain/errors";

export { DEFAULT_PGLITE_DIR, type DatabaseConfig } from "@/lib/config";

/**
 * DATABASE_URL / FLEETPIN_DATA_DIR as lib/config reads them (the process-wide config when no env
 * is given). A wrong value is a DatabaseUnavailableError, which pages show as the database banner.
 */
export function databaseConfigFromEnv(env?: Env): DatabaseConfig {
  try {
    return databaseConfig(env);
  } catch (error) {
    throw error instanceof ConfigError ? new DatabaseUnavailableError(error.message) : error;
  }
}

/** How messages and logs name the database; never includes a password. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === "pglite" ? `embedded PGlite at ${config.dataDir}` : `PostgreSQL at ${config.displayUrl}`;
}
