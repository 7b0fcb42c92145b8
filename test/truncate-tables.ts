import type { Db } from "@/lib/db/client";

/**
 * Empties tables (CASCADE) between tests. TRUNCATE takes its locks table by table, so a background
 * worker the test file left running (a webhook dispatcher, a queue poller) that locks the same
 * tables in another order can make PostgreSQL pick the TRUNCATE as a deadlock victim (40P01, seen
 * in CI). The victim's transaction rolled back whole, so trying again is safe.
 */
export async function truncateTables(db: Db, tables: readonly string[], attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db.$executeRawUnsafe(`TRUNCATE ${tables.join(", ")} CASCADE`);
      return;
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return error instanceof Error && /40P01|deadlock detected/.test(error.message);
}
