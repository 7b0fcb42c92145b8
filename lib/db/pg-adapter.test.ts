import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { postgresAdminUrl } from "@/test/databases";
import { usePostgresDatabase } from "@/test/use-test-database";

import { PgAdapterFactory } from "./pg-adapter";

async function rows(adapter: SqlDriverAdapter, sql: string): Promise<unknown[][]> {
  return (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows;
}

describe.runIf(postgresAdminUrl())("PgAdapterFactory", () => {
  const url = usePostgresDatabase();
  let adapter: SqlDriverAdapter;

  beforeAll(async () => {
    adapter = await new PgAdapterFactory({ connectionString: url() }).connect();
  });

  afterAll(async () => {
    await adapter?.dispose();
  });

  it("executeScript sends the script whole: semicolons in strings, comments and DO blocks survive", async () => {
    await adapter.executeScript(
      [
        `-- setup; with a semicolon in a comment`,
        `CREATE TABLE "notes" ("text" TEXT NOT NULL DEFAULT 'a; b');`,
        `DO $$ BEGIN INSERT INTO "notes" VALUES ('x; y'); INSERT INTO "notes" DEFAULT VALUES; END $$;`,
      ].join("\n"),
    );

    expect(await rows(adapter, `SELECT "text" FROM "notes" ORDER BY 1`)).toEqual([["a; b"], ["x; y"]]);
  });

  it("executeScript runs BEGIN ... COMMIT on one connection, so a failure rolls everything back", async () => {
    const failed = adapter.executeScript(
      `BEGIN; CREATE TABLE "half" ("id" INTEGER); INSERT INTO "notes" VALUES (NULL); COMMIT;`,
    );

    await expect(failed).rejects.toThrow(/null value in column "text"/);
    expect(await rows(adapter, `SELECT to_regclass('public.half')::text`)).toEqual([[null]]);
  });

  it("a failed script leaves no aborted transaction in the pool", async () => {
    await expect(adapter.executeScript(`BEGIN; SELECT 1/0;`)).rejects.toThrow(/division by zero/);

    // Several queries at once spread over the pool's connections; none may be stuck.
    const results = await Promise.all(Array.from({ length: 5 }, () => rows(adapter, "SELECT 1")));
    expect(results).toEqual(Array.from({ length: 5 }, () => [[1]]));
  });
});
