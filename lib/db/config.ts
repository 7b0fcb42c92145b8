import path from "node:path";

import { DatabaseUnavailableError } from "@/lib/domain/errors";

/** Where Fleetpin keeps its data: an embedded PGlite folder or a PostgreSQL server. */
export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; url: string; displayUrl: string };

export const DEFAULT_PGLITE_DIR = "./.data/pglite";

/**
 * Reads DATABASE_URL / FLEETPIN_DATA_DIR. Unset DATABASE_URL means the embedded
 * default, so `npm start` works on a bare machine. A URL that is not postgres
 * is refused up front rather than failing later with a driver stack trace.
 */
export function databaseConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const dataDir = env.FLEETPIN_DATA_DIR?.trim() || DEFAULT_PGLITE_DIR;
    return { kind: "pglite", dataDir: dataDir.startsWith("memory://") ? dataDir : path.resolve(/*turbopackIgnore: true*/ dataDir) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUnavailableError(
      "DATABASE_URL is not a valid URL. Expected postgres://user:password@host:5432/database, or leave it unset for the embedded database.",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseUnavailableError(
      `DATABASE_URL must start with postgres:// or postgresql:// (it starts with "${parsed.protocol}"). Leave it unset for the embedded database.`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    throw new DatabaseUnavailableError(
      "DATABASE_URL has no host. Expected postgres://user:password@host:5432/database (or ?host=/path/to/socket-dir).",
    );
  }
  return { kind: "postgres", url, displayUrl: redactUrl(parsed) };
}

/** The URL without its password (in either place pg reads one from), for messages and logs. */
function redactUrl(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = "***";
  if (copy.searchParams.has("password")) copy.searchParams.set("password", "***");
  return copy.toString();
}

/** How messages and logs name the database; never includes a password. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === "pglite" ? `embedded PGlite at ${config.dataDir}` : `PostgreSQL at ${config.displayUrl}`;
}
