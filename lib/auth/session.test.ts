import { beforeEach, describe, expect, it } from "vitest";

import { createSession } from "@/lib/db/sessions";
import { createUser, resetUserPassword } from "@/lib/db/users";
import { ForbiddenError } from "@/lib/domain/errors";
import type { SessionPolicy } from "@/lib/domain/session-policy";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { assertRole, canOperate, resolveSessionUser, type SessionUser } from "./session";
import { createSessionToken, sessionIdFromToken } from "./session-token";
import { signOut } from "./sign-out";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const POLICY: SessionPolicy = { idleTimeoutMs: 12 * HOUR, absoluteTimeoutMs: 7 * 24 * HOUR, touchIntervalMs: MINUTE };
const T0 = new Date("2026-03-01T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(availableBackends())("sessions on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["users", "sessions", "audit_log"] });
  let user: SessionUser;

  beforeEach(async () => {
    // The hash is never checked here; sessions do not care how the user signed in.
    user = await createUser(
      db(),
      { email: "Ops@Example.com", passwordHash: "$argon2id$unused", role: "viewer" },
      "test",
    );
  });

  async function open(now = T0): Promise<string> {
    const { token, id } = createSessionToken();
    await createSession(db(), { id, userId: user.id, now }, POLICY);
    return token;
  }

  it("stores only the sha256 of the token and resolves the token to its user", async () => {
    const token = await open();
    const rows = await db().session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(sessionIdFromToken(token));
    expect(rows[0]?.id).not.toContain(token);
    expect(await resolveSessionUser(db(), token, at(MINUTE), POLICY)).toEqual({
      id: user.id,
      email: "ops@example.com",
      role: "viewer",
    });
  });

  it.each([[null], [undefined], [""], ["not-a-token"], ["A".repeat(43)]])("resolves %j to nobody", async (token) => {
    await open();
    expect(await resolveSessionUser(db(), token, at(MINUTE), POLICY)).toBeNull();
  });

  it("expires after the idle timeout and deletes the row", async () => {
    const token = await open();
    expect(await resolveSessionUser(db(), token, at(12 * HOUR - 1), POLICY)).not.toBeNull();
    // The look-up above slid the expiry; idle for 12 h after it.
    expect(await resolveSessionUser(db(), token, at(24 * HOUR), POLICY)).toBeNull();
    expect(await db().session.count()).toBe(0);
  });

  it("slides the idle expiry on use, at most once a minute", async () => {
    const token = await open();
    const id = sessionIdFromToken(token);
    await resolveSessionUser(db(), token, at(30 * 1000), POLICY);
    expect((await db().session.findUniqueOrThrow({ where: { id } })).lastSeenAt).toEqual(T0);

    await resolveSessionUser(db(), token, at(10 * HOUR), POLICY);
    const touched = await db().session.findUniqueOrThrow({ where: { id } });
    expect(touched.lastSeenAt).toEqual(at(10 * HOUR));
    expect(touched.expiresAt).toEqual(at(22 * HOUR));
    // 20 h after sign-in: past the first 12 h, alive because it was used at 10 h.
    expect(await resolveSessionUser(db(), token, at(20 * HOUR), POLICY)).not.toBeNull();
  });

  it("ends at the absolute limit however busy the session is", async () => {
    const token = await open();
    for (let hour = 10; hour < 7 * 24; hour += 10) {
      expect(await resolveSessionUser(db(), token, at(hour * HOUR), POLICY), `hour ${hour}`).not.toBeNull();
    }
    const row = await db().session.findUniqueOrThrow({ where: { id: sessionIdFromToken(token) } });
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(at(7 * 24 * HOUR).getTime());
    expect(await resolveSessionUser(db(), token, at(7 * 24 * HOUR), POLICY)).toBeNull();
  });

  it("sees a role change at once (the role is read from the user, not the session)", async () => {
    const token = await open();
    await db().user.update({ where: { id: user.id }, data: { role: "operator" } });
    expect((await resolveSessionUser(db(), token, at(MINUTE), POLICY))?.role).toBe("operator");
  });

  it("drops the user's expired sessions when a new one starts", async () => {
    await open(T0);
    await open(at(13 * HOUR));
    expect(await db().session.count()).toBe(1);
  });

  it("signs out: deletes the row and audits it in the same transaction", async () => {
    const token = await open();
    expect(await signOut(db(), token)).toBe("ops@example.com");
    expect(await resolveSessionUser(db(), token, at(MINUTE), POLICY)).toBeNull();
    const audit = await db().auditLog.findMany({ where: { action: "session.sign_out" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "ops@example.com", targetType: "session", targetId: user.id });
    // Twice, or with no cookie at all, is not an error and writes nothing more.
    expect(await signOut(db(), token)).toBeNull();
    expect(await signOut(db(), null)).toBeNull();
    expect(await db().auditLog.count({ where: { action: "session.sign_out" } })).toBe(1);
  });

  it("keeps the session when the audit row cannot be written", async () => {
    const token = await open();
    await db().$executeRawUnsafe(
      "CREATE FUNCTION fp_no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$",
    );
    await db().$executeRawUnsafe(
      "CREATE TRIGGER fp_no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fp_no_audit()",
    );
    try {
      await expect(signOut(db(), token)).rejects.toThrow(/audit unavailable/);
      expect(await resolveSessionUser(db(), token, at(MINUTE), POLICY)).not.toBeNull();
    } finally {
      await db().$executeRawUnsafe("DROP TRIGGER fp_no_audit ON audit_log");
      await db().$executeRawUnsafe("DROP FUNCTION fp_no_audit()");
    }
  });

  it("ends every session of a user whose password is reset", async () => {
    const first = await open();
    const second = await open();
    const reset = await resetUserPassword(db(), { email: "OPS@example.com", passwordHash: "$argon2id$new" }, "cli");
    expect(reset.sessionsEnded).toBe(2);
    expect(await resolveSessionUser(db(), first, at(MINUTE), POLICY)).toBeNull();
    expect(await resolveSessionUser(db(), second, at(MINUTE), POLICY)).toBeNull();
  });
});

describe("role checks", () => {
  const viewer: SessionUser = { id: "u1", email: "viewer@example.com", role: "viewer" };
  const operator: SessionUser = { id: "u2", email: "operator@example.com", role: "operator" };

  it("lets operators operate and viewers only view", () => {
    expect(canOperate(operator)).toBe(true);
    expect(canOperate(viewer)).toBe(false);
    expect(canOperate(null)).toBe(false);
    expect(() => assertRole(viewer, "viewer")).not.toThrow();
    expect(() => assertRole(operator, "viewer")).not.toThrow();
    expect(() => assertRole(operator, "operator")).not.toThrow();
  });

  it("refuses a viewer an operator action with a message naming the missing role", () => {
    expect(() => assertRole(viewer, "operator")).toThrow(ForbiddenError);
    expect(() => assertRole(viewer, "operator")).toThrow(
      "This needs the operator role; viewer@example.com is a viewer.",
    );
  });
});
