import { mkdtemp, readFile, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { beforeEach, describe, expect, it } from "vitest";

import { verifyPassword } from "@/lib/auth/password";
import { createUser, getUserCredentials, listUsers } from "@/lib/db/users";
import { ValidationError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { DEFAULT_ADMIN_EMAIL, ensureFirstAdmin } from "./first-admin";

describe.each(availableBackends())("first admin on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["users", "sessions", "audit_log"] });
  let folder: string;
  let logged: string[];
  const log = (message: string) => logged.push(message);

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "fleetpin-first-admin-"));
    logged = [];
    return () => rm(folder, { recursive: true, force: true });
  });

  it("creates admin@fleetpin.local with a generated password, saves it inside the data folder (0600) and logs only where", async () => {
    const env = { FLEETPIN_DATA_DIR: path.join(folder, "pglite"), HOST: "0.0.0.0", PORT: "4100" };
    const result = await ensureFirstAdmin(db(), env, log);
    const file = path.join(folder, "pglite", "initial-admin.txt");

    expect(result).toMatchObject({ created: true, email: DEFAULT_ADMIN_EMAIL, credentialsFile: file });
    if (!result.created || !result.generatedPassword) throw new Error("expected a generated password");
    const password = result.generatedPassword;
    expect(password).toHaveLength(24);

    const users = await listUsers(db());
    expect(users).toEqual([expect.objectContaining({ email: DEFAULT_ADMIN_EMAIL, role: "operator" })]);
    const credentials = await getUserCredentials(db(), DEFAULT_ADMIN_EMAIL);
    expect(await verifyPassword(credentials!.passwordHash, password)).toBe(true);
    expect(await db().auditLog.findFirst()).toMatchObject({ actor: "system:first-start", action: "user.create" });

    expect(logged).toHaveLength(1);
    // #13 item 8: the server log is read by more people than the operator; it says where, never what.
    expect(logged[0]).not.toContain(password);
    expect(logged[0]).toContain(
      `Sign in at http://localhost:4100/login as admin@fleetpin.local with the password saved in ${file}`,
    );
    expect(logged[0]).toContain("change it with npm run user:create -- --reset-password --email admin@fleetpin.local");
    expect(logged[0]).toMatch(/^┌─+┐\n│/);

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, "utf8")).toContain(`Password:   ${password}`);
  });

  it("does nothing once a user exists", async () => {
    await createUser(db(), { email: "ops@example.com", passwordHash: "$argon2id$x", role: "viewer" }, "cli");
    expect(await ensureFirstAdmin(db(), { FLEETPIN_DATA_DIR: path.join(folder, "pglite") }, log)).toEqual({
      created: false,
    });
    expect(logged).toEqual([]);
    expect(await listUsers(db())).toHaveLength(1);
  });

  it("is idempotent across restarts", async () => {
    const env = { FLEETPIN_DATA_DIR: path.join(folder, "pglite") };
    expect((await ensureFirstAdmin(db(), env, log)).created).toBe(true);
    expect(await ensureFirstAdmin(db(), env, log)).toEqual({ created: false });
    expect(await listUsers(db())).toHaveLength(1);
  });

  it("creates the operator named by FLEETPIN_ADMIN_EMAIL / _PASSWORD without printing the password", async () => {
    const env = {
      FLEETPIN_ADMIN_EMAIL: " Lead@Example.com ",
      FLEETPIN_ADMIN_PASSWORD: "tangerine kayak orbit",
      DATABASE_URL: "postgres://db.internal/fleetpin",
    };
    const result = await ensureFirstAdmin(db(), env, log);
    expect(result).toEqual({
      created: true,
      email: "lead@example.com",
      generatedPassword: null,
      credentialsFile: null,
    });
    const credentials = await getUserCredentials(db(), "lead@example.com");
    expect(credentials?.role).toBe("operator");
    expect(await verifyPassword(credentials!.passwordHash, "tangerine kayak orbit")).toBe(true);
    expect(logged.join("\n")).not.toContain("tangerine");
  });

  it("generates a password for FLEETPIN_ADMIN_EMAIL without one; on PostgreSQL saves it in the private ./.data folder, not the log", async () => {
    const env = { FLEETPIN_ADMIN_EMAIL: "lead@example.com", DATABASE_URL: "postgres://db.internal/fleetpin" };
    const cwd = process.cwd();
    process.chdir(folder);
    try {
      const result = await ensureFirstAdmin(db(), env, log);
      const file = path.join(await realpath(folder), ".data", "initial-admin.txt");
      expect(result).toMatchObject({ created: true, email: "lead@example.com", credentialsFile: file });
      if (!result.created || !result.generatedPassword) throw new Error("expected a generated password");
      expect(logged.join("\n")).not.toContain(result.generatedPassword);
      expect(logged[0]).toContain(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    } finally {
      process.chdir(cwd);
    }
  });

  it.each([
    [{ FLEETPIN_ADMIN_EMAIL: "not an email" }, "FLEETPIN_ADMIN_EMAIL is not a valid email address"],
    [
      { FLEETPIN_ADMIN_EMAIL: "lead@example.com", FLEETPIN_ADMIN_PASSWORD: "short" },
      "FLEETPIN_ADMIN_PASSWORD is not acceptable: The password must be at least 12",
    ],
  ])("refuses bad env %j and creates nobody", async (env, message) => {
    await expect(ensureFirstAdmin(db(), env, log)).rejects.toThrow(ValidationError);
    await expect(ensureFirstAdmin(db(), env, log)).rejects.toThrow(message);
    expect(await listUsers(db())).toEqual([]);
  });

  it("creates one admin when two instances start at once", async () => {
    const env = { FLEETPIN_ADMIN_EMAIL: "lead@example.com", FLEETPIN_ADMIN_PASSWORD: "tangerine kayak orbit" };
    const results = await Promise.all([ensureFirstAdmin(db(), env, log), ensureFirstAdmin(db(), env, log)]);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await listUsers(db())).toHaveLength(1);
  });
});
