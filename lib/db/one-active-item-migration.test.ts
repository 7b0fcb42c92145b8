// Migration 20261130140000_one_active_item_per_workspace on a database that already breaks
// its rule (two queued/running items for one workspace, as the old read-then-write enqueue
// could leave behind): it must settle them and apply, not stop the process from starting.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { availableBackends, createPostgresDatabase } from "@/test/databases";
import { SHIPPED_MIGRATIONS } from "@/test/migrations";

import { openDatabase, type Database } from "./client";
import type { DatabaseConfig } from "./config";
import { MIGRATIONS_DIR } from "./migrate";

const MIGRATION = "20261130140000_one_active_item_per_workspace";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-one-active-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A migrations folder with the shipped migrations older than MIGRATION. */
async function migrationsBefore(): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, "migrations-"));
  for (const name of SHIPPED_MIGRATIONS.filter((migration) => migration < MIGRATION)) {
    await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

describe.each(availableBackends())("migration %s on %s", (backend) => {
  let config: DatabaseConfig;
  let drop = async () => {};
  let database: Database | undefined;

  beforeAll(async () => {
    if (backend === "pglite") {
      config = { kind: "pglite", dataDir: await mkdtemp(path.join(scratch, "pglite-")) };
    } else {
      const created = await createPostgresDatabase();
      config = { kind: "postgres", url: created.url, displayUrl: created.url };
      drop = created.drop;
    }
  });
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it("keeps the running (else the oldest) item of a workspace and skips the others, then applies", async () => {
    const old = await openDatabase(config, { migrationsDir: await migrationsBefore() });
    const [ws] = await old.db.$queryRaw<
      { id: string }[]
    >`INSERT INTO workspaces (name) VALUES ('twice') RETURNING id::text AS id`;
    const [other] = await old.db.$queryRaw<
      { id: string }[]
    >`INSERT INTO workspaces (name) VALUES ('once') RETURNING id::text AS id`;
    const ops = await old.db.$queryRaw<{ id: string }[]>`
      INSERT INTO operations (kind, requested_by) SELECT 'bulk_reprovision', 'olga' FROM generate_series(1, 3) RETURNING id::text AS id`;
    await old.db.$executeRaw`
      INSERT INTO operation_items (operation_id, workspace_id, status) VALUES
        (${ops[0]!.id}::uuid, ${ws!.id}::uuid, 'queued'),
        (${ops[1]!.id}::uuid, ${ws!.id}::uuid, 'running'),
        (${ops[2]!.id}::uuid, ${ws!.id}::uuid, 'queued'),
        (${ops[2]!.id}::uuid, ${other!.id}::uuid, 'queued')`;
    await old.close();

    database = await openDatabase(config);

    expect(database.migration.applied).toContain(MIGRATION);
    const items = await database.db.operationItem.findMany({
      orderBy: { id: "asc" },
      select: { workspaceId: true, status: true, error: true },
    });
    const skipped = {
      workspaceId: ws!.id,
      status: "skipped",
      error: "skipped: the workspace was already queued or running in another operation",
    };
    expect(items).toEqual([
      skipped,
      { workspaceId: ws!.id, status: "running", error: null },
      skipped,
      { workspaceId: other!.id, status: "queued", error: null },
    ]);
  });
});
