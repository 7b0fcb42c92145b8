// Fresh databases for the bench on either backend: a new database on the
// PostgreSQL server (TEST_PG_ADMIN_URL, dropped on close) or an in-memory PGlite.
import { openDatabase, type Database } from "@/lib/db/client";
import { createPostgresDatabase } from "@/test/databases";

export type Backend = "postgres" | "pglite";

/** An open, migrated, empty database; `url` is set for PostgreSQL (the app server connects to it too). */
export type BenchDatabase = Database & { backend: Backend; url: string | null };

export async function openBenchDatabase(backend: Backend): Promise<BenchDatabase> {
  if (backend === "pglite") {
    return { ...(await openDatabase({ kind: "pglite", dataDir: "memory://" })), backend, url: null };
  }
  if (!process.env.TEST_PG_ADMIN_URL)
    throw new Error("TEST_PG_ADMIN_URL is not set (scripts/bench.sh starts PostgreSQL when it is missing)");
  const { url, drop } = await createPostgresDatabase();
  try {
    const database = await openDatabase({ kind: "postgres", url, displayUrl: url });
    return {
      ...database,
      backend,
      url,
      close: async () => {
        await database.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
