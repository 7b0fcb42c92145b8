/**
 * Database settings: DATABASE_URL (a PostgreSQL server) or, unset, the embedded PGlite folder
 * FLEETPIN_DATA_DIR. A URL that is not postgres is refused up front rather than failing later
 * with a driver stack trace.
 */
import path from "node:path";

import { issue, optionalText } from "./fields";
import { defineSlice } from "./slice";

/** Where Fleetpin keeps its data: an embedded PGlite folder or a PostgreSQL server. */
export type DatabaseConfig =
  { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; displayUrl: string };

export const DEFAULT_PGLITE_DIR = "./.data/pglite";

export const database = defineSlice(
  {
    // Checked per field (not in build) so its message comes with every other wrong variable's.
    DATABASE_URL: optionalText().transform((url, ctx) => {
      const problem = url === undefined ? undefined : postgresUrlProblem(url);
      if (typeof problem === "string") issue(ctx, "DATABASE_URL", problem);
      return url;
    }),
    FLEETPIN_DATA_DIR: optionalText(),
  },
  (values): DatabaseConfig => {
    const url = values.DATABASE_URL;
    if (!url) {
      const dataDir = values.FLEETPIN_DATA_DIR ?? DEFAULT_PGLITE_DIR;
      return {
        kind: "pglite",
        dataDir: dataDir.startsWith("memory://") ? dataDir : path.resolve(/*turbopackIgnore: true*/ dataDir),
      };
    }
    return { kind: "postgres", url, displayUrl: redactUrl(new URL(url)) };
  },
);

/** The parsed URL, or why DATABASE_URL is not a PostgreSQL URL. */
function postgresUrlProblem(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "DATABASE_URL is not a valid URL. Expected postgres://user:password@host:5432/database, or leave it unset for the embedded database.";
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return `DATABASE_URL must start with postgres:// or postgresql:// (it starts with "${parsed.protocol}"). Leave it unset for the embedded database.`;
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    return "DATABASE_URL has no host. Expected postgres://user:password@host:5432/database (or ?host=/path/to/socket-dir).";
  }
  return parsed;
}

/** The URL without its password (in either place pg reads one from), for messages and logs. */
function redactUrl(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = "***";
  if (copy.searchParams.has("password")) copy.searchParams.set("password", "***");
  return copy.toString();
}
