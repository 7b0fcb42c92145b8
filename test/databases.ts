// Test databases on both backends Fleetpin supports: a fresh database on the
// real PostgreSQL server the harness started (TEST_PG_ADMIN_URL), and an
// in-memory PGlite. Every call makes a new, migrated, empty database.
import { randomBytes } from "node:crypto";

import { Client } from "pg";

import { openDatabase, type Database } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/db/config";

export type Backend = "postgres" | "pglite";

export type TestDatabase = Database & { backend: Backend };

/** True when the test run must have every real service (set by scripts/test-all.sh). */
export const servicesRequired = process.env.FLEETPIN_REQUIRE_SERVICES === "1";

export function postgresAdminUrl(): string | undefined {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url && servicesRequired) {
    throw new Error(
      "TEST_PG_ADMIN_URL is not set: run the tests through `npm test` (scripts/test-all.sh), which starts PostgreSQL",
    );
  }
  return url;
}

/** The backends this run can reach; PostgreSQL is mandatory under `npm test`. */
export function availableBackends(): Backend[] {
  return postgresAdminUrl() ? ["postgres", "pglite"] : ["pglite"];
}

export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error("no PostgreSQL server for this test (TEST_PG_ADMIN_URL)");
  const name = `fleetpin_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function createTestDatabase(backend: Backend, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (backend === "pglite") {
    const config: DatabaseConfig = { kind: "pglite", dataDir: "memory://" };
    return { ...(await openDatabase(config, options)), backend };
  }
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url, displayUrl: url }, options);
  return {
    ...database,
    backend,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
