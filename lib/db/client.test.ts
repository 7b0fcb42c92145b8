import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { DatabaseUnavailableError } from "@/lib/domain/errors";
import { createPostgresDatabase, postgresAdminUrl } from "@/test/databases";
import { SHIPPED_MIGRATIONS } from "@/test/migrations";
import { freePort } from "@/test/registries";

import { getDatabase, openDatabase, type Database } from "./client";
import type { DatabaseConfig } from "./config";

function postgres(url: string): DatabaseConfig {
  return { kind: "postgres", url, displayUrl: url };
}

/** The admin server's URL with another user or database. */
function adminUrlWith(change: (url: URL) => void): string {
  const url = new URL(postgresAdminUrl()!);
  change(url);
  return url.toString();
}

describe("openDatabase on PostgreSQL that cannot be used", () => {
  it("says the server is not reachable, quickly, when nothing listens on the port", async () => {
    const url = `postgres://fleet:secret@127.0.0.1:${await freePort()}/fleetpin`;
    const opening = openDatabase({ kind: "postgres", url, displayUrl: url.replace("secret", "***") });

    await expect(opening).rejects.toThrow(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(
      /^Cannot use the database \(PostgreSQL at postgres:\/\/fleet:\*\*\*@127\.0\.0\.1:\d+\/fleetpin\): the server is not reachable\. Is PostgreSQL running, and are host and port in DATABASE_URL right\?$/,
    );
    await expect(opening).rejects.not.toThrow(/secret/);
  }, 15_000); // a hang (no connect timeout) fails here instead of stalling the suite

  it.runIf(postgresAdminUrl())("says the database does not exist", async () => {
    const url = adminUrlWith((u) => (u.pathname = "/fleetpin_missing_" + Math.random().toString(36).slice(2)));

    const opening = openDatabase(postgres(url));

    await expect(opening).rejects.toThrow(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(/the database named in DATABASE_URL does not exist\. Create it first/);
  });

  // The test server trusts every local connection, so a wrong password cannot
  // be provoked; an unknown role goes through the same authentication branch.
  it.runIf(postgresAdminUrl())("says authentication failed for a role the server does not know", async () => {
    const url = adminUrlWith((u) => (u.username = "fleetpin_no_such_role_" + Math.random().toString(36).slice(2)));

    const opening = openDatabase(postgres(url));

    await expect(opening).rejects.toThrow(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(/authentication failed\. Check the user and password in DATABASE_URL/);
  });
});

describe("openDatabase on an embedded PGlite folder", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-client-"));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("keeps data across close and reopen, refuses a second open meanwhile, and migrates once", async () => {
    const config: DatabaseConfig = { kind: "pglite", dataDir: path.join(scratch, "nested", "pglite") };
    const first = await openDatabase(config);
    let firstClosed = false;
    try {
      expect(first.migration.applied).toEqual(SHIPPED_MIGRATIONS);
      await first.db.runtimeImagePin.create({
        data: { templateName: "claude-code", digest: `sha256:${"a".repeat(64)}`, updatedBy: "ops@example.com" },
      });
      expect(await readFile(`${config.dataDir}.lock`, "utf8")).toBe(String(process.pid));

      const second = openDatabase(config);

      await expect(second).rejects.toThrow(DatabaseUnavailableError);
      await expect(second).rejects.toThrow(
        `Cannot use the database (embedded PGlite at ${config.dataDir}): the embedded database ${config.dataDir} is in use by process ${process.pid}`,
      );
      // The refused open must not have released or broken the first one.
      expect(await readFile(`${config.dataDir}.lock`, "utf8")).toBe(String(process.pid));
      expect(await first.db.runtimeImagePin.count()).toBe(1);

      await first.close();
      firstClosed = true;
      await expect(readFile(`${config.dataDir}.lock`, "utf8")).rejects.toMatchObject({ code: "ENOENT" });

      const reopened = await openDatabase(config);
      try {
        expect(reopened.migration).toEqual({ applied: [], alreadyApplied: SHIPPED_MIGRATIONS });
        expect(await reopened.db.runtimeImagePin.findMany({ select: { templateName: true, updatedBy: true } })).toEqual(
          [{ templateName: "claude-code", updatedBy: "ops@example.com" }],
        );
      } finally {
        await reopened.close();
      }
    } finally {
      if (!firstClosed) await first.close();
    }
  });
});

describe.runIf(postgresAdminUrl())("getDatabase", () => {
  let drop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    const store = globalThis as { __fleetpinDatabase?: Promise<Database> };
    await (await store.__fleetpinDatabase?.catch(() => undefined))?.close();
    store.__fleetpinDatabase = undefined;
    vi.unstubAllEnvs();
    await drop?.();
  });

  it("does not keep a failed open, so it recovers once the database is there, then shares one", async () => {
    vi.stubEnv("DATABASE_URL", `postgres://fleet@127.0.0.1:${await freePort()}/fleetpin`);
    await expect(getDatabase()).rejects.toThrow(/the server is not reachable/);

    const database = await createPostgresDatabase();
    drop = database.drop;
    vi.stubEnv("DATABASE_URL", database.url);
    const opened = await getDatabase();

    expect(opened.migration.applied).toEqual(SHIPPED_MIGRATIONS);
    expect(await getDatabase()).toBe(opened);
  });
});
