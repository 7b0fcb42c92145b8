import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { recordLoginFailure, type ThrottleRule } from "@/lib/auth/login-throttle";
import { getDummyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import { resolveSessionUser } from "@/lib/auth/session";
import { INVALID_CREDENTIALS_MESSAGE, signIn, type SignInOptions } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/db/users";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

const MINUTE = 60_000;
const EMAIL_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
const ADDRESS_RULE: ThrottleRule = { maxFailures: 8, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
const T0 = new Date("2026-03-01T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const PASSWORD = "tangerine kayak orbit";

describe.each(availableBackends())("sign-in on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["users", "sessions", "audit_log", "login_throttle"] });
  let passwordHash: string;

  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
  });
  beforeEach(async () => {
    await createUser(db(), { email: "ops@example.com", passwordHash, role: "operator" }, "test");
  });

  const attempt = (email: string, password: string, now = T0, address = "10.0.0.1", options: SignInOptions = {}) =>
    signIn(db(), { email, password, clientAddress: address }, { now, emailRule: EMAIL_RULE, addressRule: ADDRESS_RULE, ...options });

  it("opens a session for the right password (email in any case) and audits it", async () => {
    const result = await attempt("  OPS@Example.COM ", PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ email: "ops@example.com", role: "operator" });
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await resolveSessionUser(db(), result.token, at(MINUTE))).toMatchObject({ email: "ops@example.com" });
    const audit = await db().auditLog.findMany({ where: { action: "session.sign_in" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "ops@example.com", targetType: "session", targetId: result.user.id });
    expect(audit[0]?.after).toMatchObject({ role: "operator", address: "10.0.0.1" });
  });

  it("gives the same answer for a wrong password and an unknown email, and checks a hash for both", async () => {
    const checked: string[] = [];
    const verify = async (hash: string, password: string) => {
      checked.push(hash);
      return verifyPassword(hash, password);
    };
    const wrongPassword = await attempt("ops@example.com", "wrong password!", T0, "10.0.0.1", { verify });
    const unknownEmail = await attempt("nobody@example.com", PASSWORD, T0, "10.0.0.1", { verify });

    expect(wrongPassword).toEqual({ ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE });
    expect(unknownEmail).toEqual(wrongPassword);
    expect(checked).toEqual([passwordHash, await getDummyPasswordHash()]);
    expect(await db().session.count()).toBe(0);
  });

  it("spends a full argon2 verify on an unknown email, as on a wrong password", async () => {
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const dummy = await getDummyPasswordHash();
    const verifyTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      verifyTimes.push(await timed(() => verifyPassword(dummy, "wrong password!")));
      unknownTimes.push(await timed(() => attempt(`nobody${i}@example.com`, "wrong password!", T0, `10.9.0.${i}`)));
    }
    // Minimums: a busy machine only ever adds time. Without the dummy hash the
    // unknown-email path would take a few database round trips, far below one verify.
    expect(Math.min(...unknownTimes)).toBeGreaterThan(Math.min(...verifyTimes) * 0.8);
  });

  it("locks an email after 5 failures, with the same answer whether it exists or not", async () => {
    for (const email of ["ops@example.com", "ghost@example.com"]) {
      for (let i = 0; i < 5; i++) {
        const result = await attempt(email, "wrong password!", at(i * MINUTE), `10.0.1.${i}`);
        expect(result).toMatchObject({ code: "invalid_credentials" });
      }
      // Even the right password is refused while locked, without being checked.
      const locked = await attempt(email, PASSWORD, at(6 * MINUTE), "10.0.2.1");
      expect(locked).toEqual({ ok: false, code: "rate_limited", message: "Too many attempts. Try again in 13 minutes." });
    }
    // The lock runs 15 minutes from the 5th failure (at minute 4), so at minute 19 it is over.
    expect(await attempt("ops@example.com", PASSWORD, at(18 * MINUTE + 30_000), "10.0.2.1")).toEqual({
      ok: false,
      code: "rate_limited",
      message: "Too many attempts. Try again in 1 minute.",
    });
    expect((await attempt("ops@example.com", PASSWORD, at(19 * MINUTE), "10.0.2.1")).ok).toBe(true);
  });

  it("counts failures within the window only", async () => {
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password!", at(i * MINUTE));
    // Minute 20: the first window is over, so this failure starts a new count.
    await attempt("ops@example.com", "wrong password!", at(20 * MINUTE));
    expect((await attempt("ops@example.com", PASSWORD, at(21 * MINUTE))).ok).toBe(true);
  });

  it("resets the email's count after a successful sign-in", async () => {
    // Distinct addresses, so only the email key can lock.
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password!", at(i * MINUTE), `10.0.3.${i}`);
    expect((await attempt("ops@example.com", PASSWORD, at(5 * MINUTE), "10.0.3.9")).ok).toBe(true);
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password!", at((6 + i) * MINUTE), `10.0.4.${i}`);
    expect((await attempt("ops@example.com", PASSWORD, at(11 * MINUTE), "10.0.4.9")).ok).toBe(true);
  });

  it("locks a client address that tries many emails, for every email", async () => {
    for (let i = 0; i < ADDRESS_RULE.maxFailures; i++) {
      await attempt(`guess${i}@example.com`, "wrong password!", at(i * 1000), "192.0.2.66");
    }
    expect(await attempt("ops@example.com", PASSWORD, at(MINUTE), "192.0.2.66")).toMatchObject({ code: "rate_limited" });
    // Another address is not affected.
    expect((await attempt("ops@example.com", PASSWORD, at(MINUTE), "192.0.2.67")).ok).toBe(true);
  });

  it("counts concurrent failures exactly (one atomic statement per failure)", async () => {
    const rule: ThrottleRule = { maxFailures: 100, windowMs: 15 * MINUTE, lockMs: MINUTE };
    await Promise.all(Array.from({ length: 12 }, () => recordLoginFailure(db(), "email:race@example.com", rule, T0)));
    const row = await db().loginThrottle.findUniqueOrThrow({ where: { key: "email:race@example.com" } });
    expect(row.failures).toBe(12);
    expect(row.lockedUntil).toBeNull();
  });

  it("removes counters that are over when someone signs in", async () => {
    await attempt("old-guess@example.com", "wrong password!", T0, "10.0.0.9");
    expect(await db().loginThrottle.count()).toBe(2);
    await attempt("ops@example.com", PASSWORD, at(30 * MINUTE), "10.0.0.1");
    expect(await db().loginThrottle.findMany({ select: { key: true } })).toEqual([]);
  });
});
