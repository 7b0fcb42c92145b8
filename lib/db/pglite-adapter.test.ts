import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PGliteAdapterFactory } from "./pglite-adapter";

describe("PGliteAdapterFactory", () => {
  let pglite: PGlite;
  let adapter: SqlDriverAdapter;

  beforeAll(async () => {
    pglite = await PGlite.create("memory://");
    adapter = await new PGliteAdapterFactory(pglite).connect();
  });

  afterAll(async () => {
    await pglite?.close();
  });

  it("executeScript waits for the script to finish", async () => {
    await adapter.executeScript(`CREATE TABLE "waited" ("id" INTEGER); INSERT INTO "waited" VALUES (1);`);

    expect((await pglite.query(`SELECT count(*)::int AS "n" FROM "waited"`)).rows).toEqual([{ n: 1 }]);
  });

  it("executeScript rejects with the database's own error", async () => {
    await expect(adapter.executeScript(`SELECT "nope" FROM "waited";`)).rejects.toThrow(/column "nope" does not exist/);
  });

  it("rolls back the transaction a failed script leaves open, so the one session stays usable", async () => {
    const failed = adapter.executeScript(`BEGIN; CREATE TABLE "half" ("id" INTEGER); SELECT 1/0; COMMIT;`);

    await expect(failed).rejects.toThrow(/division by zero/);
    expect((await pglite.query(`SELECT to_regclass('public.half')::text AS "t"`)).rows).toEqual([{ t: null }]);
    const result = await adapter.queryRaw({ sql: "SELECT 1 AS one", args: [], argTypes: [] });
    expect(result.rows).toEqual([[1]]);
  });

  it("runs a failed script outside any transaction without disturbing the next one", async () => {
    await expect(adapter.executeScript(`INSERT INTO "waited" VALUES ('x');`)).rejects.toThrow(/invalid input syntax/);

    await adapter.executeScript(`INSERT INTO "waited" VALUES (2);`);
    expect((await pglite.query(`SELECT count(*)::int AS "n" FROM "waited"`)).rows).toEqual([{ n: 2 }]);
  });
});
