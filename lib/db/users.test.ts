import { describe, expect, it } from "vitest";

import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { countUsers, createUser, getUserByEmail, getUserCredentials, listUsers, resetUserPassword } from "./users";

describe.each(availableBackends())("users on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["users", "sessions", "audit_log"] });

  it("creates a user with a lower-cased email and audits it, never exposing the hash", async () => {
    expect(await countUsers(db())).toBe(0);
    const user = await createUser(
      db(),
      { email: "  Ada@Example.COM ", passwordHash: "$argon2id$h1", role: "operator" },
      "cli",
    );
    expect(user).toEqual({
      id: expect.any(String),
      email: "ada@example.com",
      role: "operator",
      createdAt: expect.any(Date),
    });
    expect(user).not.toHaveProperty("passwordHash");
    expect(await countUsers(db())).toBe(1);
    expect(await getUserByEmail(db(), "ADA@example.com")).toEqual(user);
    expect(await getUserCredentials(db(), "ada@example.com")).toMatchObject({ passwordHash: "$argon2id$h1" });
    expect(await listUsers(db())).toEqual([user]);
    const audit = await db().auditLog.findMany();
    expect(audit).toEqual([
      expect.objectContaining({
        actor: "cli",
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        after: { email: "ada@example.com", role: "operator" },
      }),
    ]);
  });

  it("refuses a second user with the same email in another case", async () => {
    await createUser(db(), { email: "ada@example.com", passwordHash: "$argon2id$h1", role: "viewer" }, "cli");
    const again = createUser(db(), { email: "ADA@example.com", passwordHash: "$argon2id$h2", role: "operator" }, "cli");
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(
      "A user with the email ada@example.com already exists. Use --reset-password to change the password.",
    );
    expect(await countUsers(db())).toBe(1);
    expect(await db().auditLog.count()).toBe(1);
  });

  it("resets a password (and optionally the role), ending the user's sessions, with an audit row", async () => {
    const user = await createUser(
      db(),
      { email: "ada@example.com", passwordHash: "$argon2id$h1", role: "viewer" },
      "cli",
    );
    await db().session.create({ data: { id: "s1", userId: user.id, expiresAt: new Date(Date.now() + 60_000) } });
    const reset = await resetUserPassword(
      db(),
      { email: "Ada@example.com", passwordHash: "$argon2id$h2", role: "operator" },
      "cli",
    );
    expect(reset).toMatchObject({ email: "ada@example.com", role: "operator", sessionsEnded: 1 });
    expect(await getUserCredentials(db(), "ada@example.com")).toMatchObject({
      passwordHash: "$argon2id$h2",
      role: "operator",
    });
    expect(await db().session.count()).toBe(0);
    const audit = await db().auditLog.findFirst({ where: { action: "user.reset_password" } });
    expect(audit).toMatchObject({
      actor: "cli",
      targetId: user.id,
      before: { role: "viewer" },
      after: { role: "operator", sessionsEnded: 1 },
    });
  });

  it("keeps the role when the reset does not name one", async () => {
    await createUser(db(), { email: "ada@example.com", passwordHash: "$argon2id$h1", role: "operator" }, "cli");
    expect(
      await resetUserPassword(db(), { email: "ada@example.com", passwordHash: "$argon2id$h2" }, "cli"),
    ).toMatchObject({ role: "operator" });
  });

  it("refuses to reset an unknown email and writes nothing", async () => {
    await expect(
      resetUserPassword(db(), { email: "nobody@example.com", passwordHash: "$argon2id$h2" }, "cli"),
    ).rejects.toThrow(new NotFoundError("There is no user with the email nobody@example.com."));
    expect(await db().auditLog.count()).toBe(0);
  });
});
