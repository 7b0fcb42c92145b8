import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { postgresAdminUrl } from "@/test/databases";
import { appliedAllOutput, INITIAL_MIGRATION, nothingToApplyOutput } from "@/test/migrations";
import { freePort } from "@/test/registries";
import { usePostgresDatabase } from "@/test/use-test-database";

const ROOT = path.resolve(import.meta.dirname, "..");

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `npm run db:migrate` exactly as package.json spells it, minus npm itself. */
async function dbMigrate(env: Record<string, string>): Promise<Run> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [bin, ...args] = pkg.scripts["db:migrate"]!.split(" ");
  const { DATABASE_URL: _url, FLEETPIN_DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules", ".bin", bin!),
      args,
      { cwd: ROOT, env: { ...inherited, ...env }, timeout: 90_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function expectOneLineFailure(run: Run, message: RegExp | string): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^db:migrate failed: /);
  expect(lines[0]).toMatch(message);
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-db-migrate-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.runIf(postgresAdminUrl())("npm run db:migrate on PostgreSQL", () => {
  const url = usePostgresDatabase();

  it("applies the migrations, then says there is nothing to apply", async () => {
    const first = await dbMigrate({ DATABASE_URL: url() });
    expect(first).toEqual({
      code: 0,
      stdout: `Database: PostgreSQL at ${url()}\n${appliedAllOutput()}`,
      stderr: "",
    });

    const second = await dbMigrate({ DATABASE_URL: url() });
    expect(second).toEqual({
      code: 0,
      stdout: `Database: PostgreSQL at ${url()}\n${nothingToApplyOutput()}`,
      stderr: "",
    });
  });

  it("refuses, in one line, a migration left unfinished by an earlier failed deploy", async () => {
    const client = new Client({ connectionString: url() });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET "finished_at" = NULL WHERE "migration_name" = $1`, [
      INITIAL_MIGRATION,
    ]);
    try {
      const run = await dbMigrate({ DATABASE_URL: url() });

      expectOneLineFailure(run, `Migration ${INITIAL_MIGRATION} is recorded as started but not finished`);
    } finally {
      await client.query(`UPDATE "_prisma_migrations" SET "finished_at" = now() WHERE "migration_name" = $1`, [
        INITIAL_MIGRATION,
      ]);
      await client.end();
    }
  });

  it("names the missing database", async () => {
    const missing = new URL(url());
    missing.pathname = "/fleetpin_missing_database";

    expectOneLineFailure(
      await dbMigrate({ DATABASE_URL: missing.toString() }),
      /the database named in DATABASE_URL does not exist/,
    );
  });
});

describe("npm run db:migrate failures", () => {
  it("says the server is not reachable, without the password or a stack trace", async () => {
    const run = await dbMigrate({ DATABASE_URL: `postgres://fleet:hunter2@127.0.0.1:${await freePort()}/fleetpin` });

    expectOneLineFailure(
      run,
      /Cannot use the database \(PostgreSQL at postgres:\/\/fleet:\*\*\*@127\.0\.0\.1:\d+\/fleetpin\): the server is not reachable/,
    );
    expect(run.stderr).not.toContain("hunter2");
  });

  it("refuses a URL that is not PostgreSQL", async () => {
    expectOneLineFailure(
      await dbMigrate({ DATABASE_URL: "mysql://fleet@db/fleetpin" }),
      /DATABASE_URL must start with postgres:\/\//,
    );
  });

  it("refuses an embedded folder another process has open", async () => {
    const dataDir = path.join(scratch, "in-use");
    const holder = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      await writeFile(`${dataDir}.lock`, String(holder.pid));

      const run = await dbMigrate({ FLEETPIN_DATA_DIR: dataDir });

      expectOneLineFailure(run, `the embedded database ${dataDir} is in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });
});

describe("npm run db:migrate on the embedded database", () => {
  it("creates and migrates the PGlite folder", async () => {
    const dataDir = path.join(scratch, "fresh", "pglite");

    const run = await dbMigrate({ FLEETPIN_DATA_DIR: dataDir });

    expect(run).toEqual({
      code: 0,
      stdout: `Database: embedded PGlite at ${dataDir}\n${appliedAllOutput()}`,
      stderr: "",
    });
    await expect(readFile(`${dataDir}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
