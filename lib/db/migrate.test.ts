import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { captureLogs } from "@/lib/log/capture";
import { availableBackends, createPostgresDatabase, type Backend } from "@/test/databases";
import { INITIAL_MIGRATION, SHIPPED_MIGRATIONS } from "@/test/migrations";

import { openDatabase } from "./client";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "./migrate";
import { PgAdapterFactory } from "./pg-adapter";
import { PGliteAdapterFactory } from "./pglite-adapter";

type RawDatabase = { adapter: SqlDriverAdapter; close: () => Promise<void> };

// The runner works on a driver adapter, not on a Prisma client, so these tests
// open the same adapter factories lib/db/client.ts uses, on an empty database.
async function openRawDatabase(backend: Backend): Promise<RawDatabase> {
  if (backend === "pglite") {
    const pglite = await PGlite.create("memory://");
    const adapter = await new PGliteAdapterFactory(pglite).connect();
    return { adapter, close: () => pglite.close() };
  }
  const { url, drop } = await createPostgresDatabase();
  const adapter = await new PgAdapterFactory({ connectionString: url }).connect();
  return {
    adapter,
    close: async () => {
      await adapter.dispose();
      await drop();
    },
  };
}

async function query(adapter: SqlDriverAdapter, sql: string): Promise<Record<string, unknown>[]> {
  const result = await adapter.queryRaw({ sql, args: [], argTypes: [] });
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let scratch: string;

/** A migrations folder holding the real migrations plus the given extra ones. */
async function migrationsDir(extra: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, "migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-migrate-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each(availableBackends())("applyMigrations on %s", (backend) => {
  let raw: RawDatabase;

  beforeAll(async () => {
    raw = await openRawDatabase(backend);
  });

  afterAll(async () => {
    await raw?.close();
  });

  it("applies every migration once and records it the way Prisma does", async () => {
    const migrations = await readMigrations();
    expect(migrations.map((m) => m.name)).toContain(INITIAL_MIGRATION);

    const result = await applyMigrations(raw.adapter);

    expect(result).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: [] });
    const rows = await query(
      raw.adapter,
      `SELECT "id", "checksum", "migration_name", "finished_at", "rolled_back_at", "logs", "started_at", "applied_steps_count"
       FROM "_prisma_migrations" ORDER BY "migration_name"`,
    );
    expect(rows).toHaveLength(migrations.length);
    for (const [i, migration] of migrations.entries()) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, migration.name, "migration.sql"));
      const row = rows[i]!;
      expect(row.migration_name).toBe(migration.name);
      expect(row.id).toMatch(UUID);
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.started_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
    }
    expect(await query(raw.adapter, `SELECT to_regclass('public.workspaces')::text AS "table"`)).toEqual([
      { table: "workspaces" },
    ]);
  });

  it("creates _prisma_migrations with Prisma's own column types", async () => {
    const columns = await query(
      raw.adapter,
      `SELECT column_name AS "name", data_type AS "type", character_maximum_length AS "length", is_nullable AS "nullable"
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.name, c.type, c.length === null ? null : Number(c.length), c.nullable])).toEqual([
      ["id", "character varying", 36, "NO"],
      ["checksum", "character varying", 64, "NO"],
      ["finished_at", "timestamp with time zone", null, "YES"],
      ["migration_name", "character varying", 255, "NO"],
      ["logs", "text", null, "YES"],
      ["rolled_back_at", "timestamp with time zone", null, "YES"],
      ["started_at", "timestamp with time zone", null, "NO"],
      ["applied_steps_count", "integer", null, "NO"],
    ]);
  });

  it("applies nothing the second time", async () => {
    const before = await query(raw.adapter, `SELECT "id" FROM "_prisma_migrations" ORDER BY "id"`);

    const result = await applyMigrations(raw.adapter);

    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toContain(INITIAL_MIGRATION);
    expect(await query(raw.adapter, `SELECT "id" FROM "_prisma_migrations" ORDER BY "id"`)).toEqual(before);
  });

  it("rolls a failing migration back completely, names it, and leaves the database usable", async () => {
    const broken = "20991231000000_broken";
    const dir = await migrationsDir({
      [broken]: `CREATE TABLE "partial_probe" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;\n`,
    });

    const failure = applyMigrations(raw.adapter, dir);

    await expect(failure).rejects.toThrow(new RegExp(`Migration ${broken} failed: .*"no_such_table" does not exist`));
    expect(await query(raw.adapter, `SELECT to_regclass('public.partial_probe')::text AS "table"`)).toEqual([
      { table: null },
    ]);
    expect(await query(raw.adapter, `SELECT 1 FROM "_prisma_migrations" WHERE "migration_name" = '${broken}'`)).toEqual(
      [],
    );

    // Fixing the migration (it never applied, so editing it is fine) lets the next run apply it.
    await writeFile(path.join(dir, broken, "migration.sql"), `CREATE TABLE "partial_probe" ("id" INTEGER);\n`);
    expect(await applyMigrations(raw.adapter, dir)).toEqual({ applied: [broken], alreadyApplied: SHIPPED_MIGRATIONS });
    await raw.adapter.executeScript(
      `DROP TABLE "partial_probe"; DELETE FROM "_prisma_migrations" WHERE "migration_name" = '${broken}';`,
    );
  });

  it("applies a migration whose SQL has semicolons inside strings, comments and a DO block intact", async () => {
    const name = "20991231000001_semicolons";
    const dir = await migrationsDir({
      [name]: [
        `-- a comment; with a semicolon`,
        `CREATE TABLE "semicolon_probe" ("note" TEXT NOT NULL DEFAULT 'a; b');`,
        `COMMENT ON TABLE "semicolon_probe" IS 'one; two';`,
        `DO $$ BEGIN INSERT INTO "semicolon_probe" VALUES ('x; y'); END $$;`,
      ].join("\n"),
    });

    expect(await applyMigrations(raw.adapter, dir)).toEqual({ applied: [name], alreadyApplied: SHIPPED_MIGRATIONS });

    expect(await query(raw.adapter, `SELECT "note" FROM "semicolon_probe"`)).toEqual([{ note: "x; y" }]);
    expect(await query(raw.adapter, `SELECT obj_description('public.semicolon_probe'::regclass) AS "comment"`)).toEqual(
      [{ comment: "one; two" }],
    );
    await raw.adapter.executeScript(
      `DROP TABLE "semicolon_probe"; DELETE FROM "_prisma_migrations" WHERE "migration_name" = '${name}';`,
    );
  });

  it("refuses to run while a migration is recorded as started but not finished", async () => {
    const name = "20991231000002_half_done";
    const dir = await migrationsDir({ [name]: `CREATE TABLE "half_done_probe" ("id" INTEGER);` });
    await raw.adapter.executeScript(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "applied_steps_count")
       VALUES ('00000000-0000-4000-8000-000000000001', '${"0".repeat(64)}', '${name}', 0);`,
    );

    await expect(applyMigrations(raw.adapter, dir)).rejects.toThrow(
      new RegExp(`Migration ${name} is recorded as started but not finished .*migrate-resolve`),
    );
    expect(await query(raw.adapter, `SELECT to_regclass('public.half_done_probe')::text AS "table"`)).toEqual([
      { table: null },
    ]);
    await raw.adapter.executeScript(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = '${name}';`);
  });

  it("warns, and does not re-apply, when an applied migration was edited afterwards", async () => {
    const dir = await migrationsDir({});
    await writeFile(path.join(dir, INITIAL_MIGRATION, "migration.sql"), "-- edited after it was applied\n", {
      flag: "a",
    });
    const logs = captureLogs();
    try {
      expect(await applyMigrations(raw.adapter, dir)).toEqual({ applied: [], alreadyApplied: SHIPPED_MIGRATIONS });
      expect(logs.lines).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: expect.stringContaining(`migration ${INITIAL_MIGRATION} was modified after it was applied`),
        }),
      );
    } finally {
      logs.restore();
    }
  });
});

describe.runIf(availableBackends().includes("postgres"))("concurrent starts against one PostgreSQL database", () => {
  it("all succeed and every migration is applied exactly once", async () => {
    const { url, drop } = await createPostgresDatabase();
    // Not idempotent on purpose: a second application would leave two probe rows.
    const counted = "20991231000003_counted";
    const dir = await migrationsDir({
      [counted]: `CREATE TABLE IF NOT EXISTS "concurrency_probe" ("n" INTEGER);\nINSERT INTO "concurrency_probe" VALUES (1);\n`,
    });
    const config = { kind: "postgres" as const, url, displayUrl: url };
    try {
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () => openDatabase(config, { migrationsDir: dir })),
      );
      const databases = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      try {
        expect(opened.filter((result) => result.status === "rejected")).toEqual([]);
        const applied = databases.flatMap((database) => database.migration.applied).sort();
        expect(applied).toEqual([...SHIPPED_MIGRATIONS, counted]);
        for (const database of databases) {
          expect([...database.migration.applied, ...database.migration.alreadyApplied].sort()).toEqual([
            ...SHIPPED_MIGRATIONS,
            counted,
          ]);
        }
        const db = databases[0]!.db;
        expect(await db.$queryRawUnsafe(`SELECT count(*)::int AS "n" FROM "concurrency_probe"`)).toEqual([{ n: 1 }]);
        expect(
          await db.$queryRawUnsafe(
            `SELECT "migration_name" AS "name", count(*)::int AS "n" FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`,
          ),
        ).toEqual([...[...SHIPPED_MIGRATIONS, counted].map((name) => ({ name, n: 1 }))]);
      } finally {
        await Promise.all(databases.map((database) => database.close()));
      }
    } finally {
      await drop();
    }
  });
});
