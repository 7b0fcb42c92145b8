import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyPassword } from "@/lib/auth/password";
import { openDatabase, type Database } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/db/config";
import { getUserCredentials } from "@/lib/db/users";
import { postgresAdminUrl } from "@/test/databases";
import { runNpmScript, type ScriptRun } from "@/test/npm-script";
import { usePostgresDatabase } from "@/test/use-test-database";

const PASSWORD = "tangerine kayak orbit";

type Run = ScriptRun;

/** Runs `npm run user:create -- …` exactly as package.json spells it, minus npm itself. */
async function userCreate(args: string[], env: Record<string, string>, stdin = ""): Promise<Run> {
  return runNpmScript("user:create", args, env, { stdin, timeoutMs: 90_000 });
}

async function withDatabase<T>(config: DatabaseConfig, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function passwordWorks(config: DatabaseConfig, email: string, password: string): Promise<boolean> {
  return withDatabase(config, async ({ db }) => {
    const credentials = await getUserCredentials(db, email);
    return !!credentials && (await verifyPassword(credentials.passwordHash, password));
  });
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-user-create-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("npm run user:create on the embedded database", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let config: DatabaseConfig;

  beforeAll(() => {
    dataDir = path.join(scratch, "embedded", "pglite");
    env = { FLEETPIN_DATA_DIR: dataDir };
    config = { kind: "pglite", dataDir };
  });

  it("creates an operator with a generated password, printed once", async () => {
    const run = await userCreate(["--email", "Ada@Example.com", "--role", "operator"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Created operator ada@example.com. Database: embedded PGlite at ${dataDir}.`);
    const password = /Password \(shown only this once\): (\S+)/.exec(run.stdout)?.[1];
    expect(password).toHaveLength(24);
    expect(await passwordWorks(config, "ada@example.com", password!)).toBe(true);
    const audit = await withDatabase(config, ({ db }) => db.auditLog.findFirst({ where: { action: "user.create" } }));
    expect(audit?.actor).toMatch(/^cli:/);
  });

  it("takes the password from stdin and does not print it", async () => {
    const run = await userCreate(["--email", "bob@example.com", "--role", "viewer"], env, `${PASSWORD}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stdout).not.toContain("Password");
    expect(await passwordWorks(config, "bob@example.com", PASSWORD)).toBe(true);
  });

  it("refuses a duplicate email and leaves the existing password alone", async () => {
    const run = await userCreate(
      ["--email", "BOB@example.com", "--role", "operator", "--password", "another long password"],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "user:create failed: A user with the email bob@example.com already exists. Use --reset-password to change the password.",
    );
    expect(await passwordWorks(config, "bob@example.com", PASSWORD)).toBe(true);
  });

  it("resets a password with --reset-password", async () => {
    const run = await userCreate(
      ["--reset-password", "--email", "bob@example.com", "--password", "another long password"],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Reset the password of bob@example.com (viewer); ended 0 sessions.");
    expect(await passwordWorks(config, "bob@example.com", "another long password")).toBe(true);
    expect(await passwordWorks(config, "bob@example.com", PASSWORD)).toBe(false);
  });

  it("says clearly that an unknown email cannot be reset", async () => {
    const run = await userCreate(["--reset-password", "--email", "nobody@example.com"], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("user:create failed: There is no user with the email nobody@example.com.");
  });

  it("refuses a weak password before touching the database", async () => {
    const run = await userCreate(["--email", "carol@example.com", "--role", "viewer", "--password", "short"], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("user:create failed: The password must be at least 12 characters long.");
  });

  it("explains bad arguments with the usage (exit 2), without opening the database", async () => {
    const cases: Array<[string[], string]> = [
      [["--role", "operator"], "--email is required."],
      [["--email", "not-an-email", "--role", "operator"], '"not-an-email" is not a valid email address.'],
      [["--email", "a@b.co"], "--role is required"],
      [["--email", "a@b.co", "--role", "admin"], '--role must be viewer or operator (got "admin").'],
      [["--email", "a@b.co", "--role", "viewer", "--bogus"], "Unknown option '--bogus'"],
    ];
    // Concurrently: each run is a tsx start-up, and none of them may touch the database.
    const runs = await Promise.all(
      cases.map(([args]) => userCreate(args, { FLEETPIN_DATA_DIR: path.join(scratch, "never-created", "pglite") })),
    );
    runs.forEach((run, index) => {
      expect(run.code, cases[index]![1]).toBe(2);
      expect(run.stderr).toContain(cases[index]![1]);
      expect(run.stderr).toContain("Usage:");
    });
    await expect(readFile(path.join(scratch, "never-created", "pglite.lock"))).rejects.toThrow(/ENOENT/);
  });

  it("explains that a running dashboard holds the embedded database, and exits 1", async () => {
    const held = await openDatabase(config);
    try {
      const run = await userCreate(["--email", "dave@example.com", "--role", "viewer", "--password", PASSWORD], env);
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`the embedded database ${dataDir} is in use by process ${process.pid}`);
      expect(lines[0]).toContain("Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.");
    } finally {
      await held.close();
    }
    expect(await withDatabase(config, ({ db }) => getUserCredentials(db, "dave@example.com"))).toBeNull();
  });
});

describe.runIf(postgresAdminUrl())("npm run user:create on PostgreSQL", () => {
  const url = usePostgresDatabase();

  it("creates users and resets passwords through DATABASE_URL", async () => {
    const env = { DATABASE_URL: url() };
    const config: DatabaseConfig = { kind: "postgres", url: url(), displayUrl: url() };
    const created = await userCreate(["--email", "ops@example.com", "--role", "operator", "--password", PASSWORD], env);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created operator ops@example.com\. Database: PostgreSQL at /);
    expect(created.stdout).not.toContain(PASSWORD);
    expect(await passwordWorks(config, "ops@example.com", PASSWORD)).toBe(true);

    const reset = await userCreate(["--reset-password", "--email", "ops@example.com", "--role", "viewer"], env);
    expect(reset.code).toBe(0);
    const generated = /Password \(shown only this once\): (\S+)/.exec(reset.stdout)?.[1];
    expect(await passwordWorks(config, "ops@example.com", generated!)).toBe(true);
    const role = await withDatabase(config, async ({ db }) => (await getUserCredentials(db, "ops@example.com"))?.role);
    expect(role).toBe("viewer");
  });

  it("reports an unreachable server in one line", async () => {
    const run = await userCreate(["--email", "ops@example.com", "--role", "operator", "--password", PASSWORD], {
      DATABASE_URL: "postgres://fleetpin@127.0.0.1:1/fleetpin",
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("the server is not reachable");
  });
});
