// Vitest lifecycle for the test databases of test/databases.ts, kept apart from that module
// because it imports vitest and test/databases.ts is also used outside test runs (bench/).
import { afterAll, beforeAll, beforeEach } from "vitest";

import type { Db } from "@/lib/db/client";

import { createPostgresDatabase, createTestDatabase, type Backend, type TestDatabase } from "./databases";
import { truncateTables } from "./truncate-tables";

/** What useTestDatabase does besides opening and closing: tables emptied before each test. */
export type UseTestDatabaseOptions = { truncate?: string[] };

/**
 * Registers, in the calling describe block, a fresh migrated database opened before its tests
 * and closed after them; `truncate` tables are emptied (CASCADE) before each test, ahead of the
 * block's own beforeEach hooks. Returns the Prisma client, to call inside hooks and tests.
 */
export function useTestDatabase(backend: Backend, options: UseTestDatabaseOptions = {}): () => Db {
  let database: TestDatabase | undefined;
  const db = () => {
    if (!database) throw new Error("the test database is not open yet: use it inside hooks and tests");
    return database.db;
  };

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  const tables = options.truncate ?? [];
  if (tables.length > 0) {
    beforeEach(async () => {
      await truncateTables(db(), tables);
    });
  }
  return db;
}

/**
 * Registers, in the calling describe block, an empty PostgreSQL database (not migrated) created
 * before its tests and dropped after them. Returns its URL, to call inside hooks and tests.
 */
export function usePostgresDatabase(): () => string {
  let database: { url: string; drop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error("the PostgreSQL test database is not created yet: use it inside hooks and tests");
    return database.url;
  };
}
