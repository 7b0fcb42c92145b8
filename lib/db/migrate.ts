import "server-only";

import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

import { getLogger } from "@/lib/log/logger";

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/** One folder of prisma/migrations: `<timestamp>_<name>/migration.sql`. */
export type MigrationFile = { name: string; sql: string; checksum: string };

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

// Prisma's own bookkeeping table, so `prisma migrate deploy` (where the schema
// engine is available) sees exactly what this runner applied, and vice versa.
const CREATE_PRISMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

// Serialises concurrent starts against one PostgreSQL server.
const MIGRATION_LOCK_KEY = 7_202_611_23;

// Under the lock, because two concurrent CREATE TABLE IF NOT EXISTS can still
// collide on pg_type and fail one of the starts.
const CREATE_PRISMA_MIGRATIONS_LOCKED = `BEGIN;
SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
${CREATE_PRISMA_MIGRATIONS}
COMMIT;`;

/** The migrations of a folder, oldest first, each with Prisma's checksum (sha256 of the file). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      throw new Error(`No migrations folder at ${dir}: run Fleetpin from its project folder (where prisma/ is).`);
    },
  );
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`, each in
 * its own transaction together with its bookkeeping row, so a failure leaves
 * the database exactly as it was before that migration. Idempotent.
 */
export async function applyMigrations(adapter: SqlDriverAdapter, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  await adapter.executeScript(CREATE_PRISMA_MIGRATIONS_LOCKED);
  const result: MigrationResult = { applied: [], alreadyApplied: [] };

  for (const migration of migrations) {
    const recorded = await recordedMigration(adapter, migration.name);
    if (recorded?.finished) {
      if (recorded.checksum !== migration.checksum) {
        getLogger({ source: "migrate" }).warn(
          { event: "migration_modified", migration: migration.name },
          `migration ${migration.name} was modified after it was applied (checksum differs); it is not applied again.`,
        );
      }
      result.alreadyApplied.push(migration.name);
      continue;
    }
    if (recorded && !recorded.finished) {
      throw new Error(
        `Migration ${migration.name} is recorded as started but not finished in _prisma_migrations (a failed \`prisma migrate deploy\`?). Resolve it first: https://pris.ly/d/migrate-resolve`,
      );
    }
    try {
      await adapter.executeScript(transactionFor(migration));
      result.applied.push(migration.name);
    } catch (error) {
      // Another process may have applied it while we were checking.
      if ((await recordedMigration(adapter, migration.name))?.finished) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      throw new Error(`Migration ${migration.name} failed: ${describe(error)}`, { cause: error });
    }
  }
  return result;
}

function transactionFor(migration: MigrationFile): string {
  const id = randomUUID();
  const name = migration.name.replaceAll("'", "''");
  return [
    "BEGIN;",
    `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});`,
    // Checked again under the lock: a concurrent start may have applied it since we looked.
    `DO $fleetpin$ BEGIN IF EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE "migration_name" = '${name}'`,
    `AND "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL) THEN`,
    `RAISE EXCEPTION 'migration % was applied meanwhile by another process', '${name}'; END IF; END $fleetpin$;`,
    migration.sql,
    ";",
    `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")`,
    `VALUES ('${id}', '${migration.checksum}', now(), '${name}', now(), 1);`,
    "COMMIT;",
  ].join("\n");
}

async function recordedMigration(
  adapter: SqlDriverAdapter,
  name: string,
): Promise<{ checksum: string; finished: boolean } | null> {
  const result = await adapter.queryRaw({
    sql: `SELECT "checksum", "finished_at" IS NOT NULL AS "finished" FROM "_prisma_migrations"
          WHERE "migration_name" = $1 AND "rolled_back_at" IS NULL ORDER BY "started_at" DESC LIMIT 1`,
    args: [name],
    argTypes: [{ scalarType: "string", arity: "scalar" }],
  });
  const row = result.rows[0];
  if (!row) return null;
  return { checksum: String(row[0]), finished: row[1] === true };
}

function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const cause = (error as { cause?: { message?: string; originalMessage?: string } }).cause;
    const message = (error as { message?: string }).message;
    return cause?.originalMessage ?? cause?.message ?? message ?? String(error);
  }
  return String(error);
}
