import "server-only";

import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

import { PrismaClient } from "@/lib/generated/prisma/client";

import { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock";
import { restrictPgliteFiles, securePgliteDataDir } from "./data-dir-permissions";
import { translateDatabaseError } from "./errors";
import { applyMigrations, MIGRATIONS_DIR, type MigrationResult } from "./migrate";
import { PgAdapterFactory } from "./pg-adapter";
import { PGliteAdapterFactory } from "./pglite-adapter";

export type Db = PrismaClient;

/** An open database: the Prisma client plus what it takes to migrate and close it. */
export type Database = {
  db: Db;
  config: DatabaseConfig;
  description: string;
  migration: MigrationResult;
  /** The embedded instance (PGlite only): the job runner (lib/jobs) shares it, as one process owns the folder. */
  pglite?: PGlite;
  close: () => Promise<void>;
};

export type OpenDatabaseOptions = { migrate?: boolean; migrationsDir?: string };

/**
 * Opens the configured database, applies pending migrations (unless told not
 * to) and proves the connection with one query, so a wrong URL or a server
 * that is down fails here with one clear message.
 */
export async function openDatabase(
  config: DatabaseConfig = databaseConfigFromEnv(),
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const description = describeDatabase(config);
  let lock: DataDirLock | undefined;
  let pglite: PGlite | undefined;
  let factory: SqlMigrationAwareDriverAdapterFactory;

  try {
    if (config.kind === "pglite") {
      if (!config.dataDir.startsWith("memory://")) {
        // Creates the folder (and any missing parent, where the lock file goes) owner-only.
        await securePgliteDataDir(config.dataDir);
        lock = await acquireDataDirLock(config.dataDir);
      }
      pglite = await PGlite.create(config.dataDir);
      if (!config.dataDir.startsWith("memory://")) await restrictPgliteFiles(config.dataDir);
      factory = new PGliteAdapterFactory(pglite);
    } else {
      factory = new PgAdapterFactory({ connectionString: config.url, connectionTimeoutMillis: 5_000 });
    }

    let migration: MigrationResult = { applied: [], alreadyApplied: [] };
    const adapter = await factory.connect();
    try {
      await adapter.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
      if (options.migrate !== false)
        migration = await applyMigrations(adapter, options.migrationsDir ?? MIGRATIONS_DIR);
    } finally {
      // The PGlite adapter shares the one PGlite instance; only the pg pool is ours to end.
      if (config.kind === "postgres") await adapter.dispose();
    }

    const db = new PrismaClient({ adapter: factory });
    return {
      db,
      config,
      description,
      migration,
      pglite,
      close: async () => {
        await db.$disconnect();
        await pglite?.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    await lock?.release();
    throw translateDatabaseError(error, description);
  }
}

type GlobalWithDb = typeof globalThis & { __fleetpinDatabase?: Promise<Database> };

/**
 * The process-wide database, opened (and migrated) on first use. A failed open
 * is not cached, so the dashboard recovers once the database is back.
 */
export function getDatabase(): Promise<Database> {
  const store = globalThis as GlobalWithDb;
  if (!store.__fleetpinDatabase) {
    const opening = openDatabase();
    store.__fleetpinDatabase = opening;
    opening.catch(() => {
      if (store.__fleetpinDatabase === opening) store.__fleetpinDatabase = undefined;
    });
  }
  return store.__fleetpinDatabase;
}

/** Shorthand for the Prisma client of the process-wide database. */
export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** One round trip to the database, for the health probe. */
export async function pingDatabase(db: Db): Promise<void> {
  // Raw: the cheapest statement there is; no model to ask.
  await db.$queryRaw`SELECT 1`;
}
