// Vitest lifecycle for tests of the job queue: a fresh migrated database per describe block with
// `hermes` pinned, and the process's job runner stopped after each test (a test starts it, with
// the workers it needs, so no handler of an earlier test works its jobs).
import { afterAll, afterEach, beforeAll } from "vitest";

import type { Db } from "@/lib/db/client";
import { stopJobs } from "@/lib/jobs/runner";

import { createTestDatabase, type Backend, type TestDatabase } from "./databases";

/** The digest `hermes` is pinned to. */
export const JOBS_PIN = `sha256:${"a".repeat(64)}`;
/** A digest that is stale against it. */
export const JOBS_STALE = `sha256:${"b".repeat(64)}`;

export function useJobsDatabase(backend: Backend): { db: () => Db; database: () => TestDatabase } {
  let database: TestDatabase | undefined;
  const open = () => {
    if (!database) throw new Error("the test database is not open yet: use it inside hooks and tests");
    return database;
  };
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await database.db
      .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${JOBS_PIN})`;
  });
  afterEach(async () => {
    await stopJobs();
  });
  afterAll(async () => {
    await database?.close();
  });
  return { db: () => open().db, database: open };
}
