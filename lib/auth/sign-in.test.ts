import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createUser } from "@/lib/db/users";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { ADDRESS_THROTTLE, EMAIL_THROTTLE, type ThrottleRule } from "./login-throttle";
import { getDummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { resolveSessionUser } from "./session";
import { INVALID_CREDENTIALS_MESSAGE, signIn, type SignInOptions } from "./sign-in";

const MINUTE = 60_000;
const EMAIL_RULE: ThrottleRule = EMAIL_THROTTLE;
const ADDRESS_RULE: ThrottleRule = { ...ADDRESS_THROTTLE, freeAttempts: 8 };
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
    signIn(
      db(),
      { email, password, clientAddress: address },
      { now, emailRule: EMAIL_RULE, addressRule: ADDRESS_RULE, ...options },
    );

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
    // Counted, not timed: the unknown email must cost the same work, one real
    // argon2 verify of the dummy hash (a clock comparison is flaky on a busy machine).
    const dummy = await getDummyPasswordHash();
    const verified: Array<{ hash: string; matched: boolean }> = [];
    const verify = async (hash: string, password: string) => {
      const matched = await verifyPassword(hash, password);
      verified.push({ hash, matched });
      return matched;
    };
    for (let i = 0; i < 3; i++)
      await attempt(`nobody${i}@example.com`, "wrong password!", T0, `10.9.0.${i}`, { verify });
    expect(verified).toEqual(Array.from({ length: 3 }, () => ({ hash: dummy, matched: false })));
    expect(dummy).toMatch(/^\$argon2id\$/);
  });

  it("slows an email down after 5 failures instead of locking it, with the same answer whether it exists or not", async () => {
    for (const email of ["ops@example.com", "ghost@example.com"]) {
      for (let i = 0; i < 5; i++) {
        const result = await attempt(email, "wrong password!", at(i * 1000), `10.0.1.${i}`);
        expect(result).toMatchObject({ code: "invalid_credentials" });
      }
      // The 5th attempt (second 4) starts a 2 s wait: even the right password is refused, without being checked.
      const early = await attempt(email, PASSWORD, at(5_000), "10.0.2.1");
      expect(early).toEqual({ ok: false, code: "rate_limited", message: "Too many attempts. Try again in 1 second." });
    }
    // After the wait the owner gets in: 5 failures by someone else never lock the account.
    expect((await attempt("ops@example.com", PASSWORD, at(6_000), "10.0.2.1")).ok).toBe(true);
  });

  it("doubles the wait per further attempt up to one minute, so the owner is never locked out for long", async () => {
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      await attempt("ops@example.com", "wrong password!", at(now), `10.0.5.${i}`);
      const row = await db().loginThrottle.findUniqueOrThrow({ where: { key: "email:ops@example.com" } });
      const wait = row.lockedUntil ? row.lockedUntil.getTime() - at(now).getTime() : 0;
      waits.push(wait);
      now += wait;
    }
    expect(waits).toEqual([0, 0, 0, 0, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect((await attempt("ops@example.com", PASSWORD, at(now), "10.0.5.99")).ok).toBe(true);
  });

  it("counts failures within the window only", async () => {
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password!", at(i * MINUTE));
    // Minute 20: the first window is over, so this failure starts a new count (else it would be the 5th and start a wait).
    await attempt("ops@example.com", "wrong password!", at(20 * MINUTE));
    expect((await attempt("ops@example.com", PASSWORD, at(20 * MINUTE + 1))).ok).toBe(true);
  });

  it("resets the email's count after a successful sign-in", async () => {
    // Distinct addresses, so only the email key can lock.
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password!", at(i * MINUTE), `10.0.3.${i}`);
    expect((await attempt("ops@example.com", PASSWORD, at(5 * MINUTE), "10.0.3.9")).ok).toBe(true);
    for (let i = 0; i < 4; i++)
      await attempt("ops@example.com", "wrong password!", at((6 + i) * MINUTE), `10.0.4.${i}`);
    expect((await attempt("ops@example.com", PASSWORD, at(11 * MINUTE), "10.0.4.9")).ok).toBe(true);
  });

  it("locks a client address that tries many emails, for every email", async () => {
    for (let i = 0; i < ADDRESS_RULE.freeAttempts; i++) {
      await attempt(`guess${i}@example.com`, "wrong password!", at(i * 1000), "192.0.2.66");
    }
    expect(await attempt("ops@example.com", PASSWORD, at(MINUTE), "192.0.2.66")).toEqual({
      ok: false,
      code: "rate_limited",
      message: "Too many attempts. Try again in 15 minutes.",
    });
    // Another address is not affected.
    expect((await attempt("ops@example.com", PASSWORD, at(MINUTE), "192.0.2.67")).ok).toBe(true);
  });

  it("gives a successful sign-in's attempt back to the address", async () => {
    for (let i = 0; i < 3; i++)
      expect((await attempt("ops@example.com", PASSWORD, at(i * 1000), "192.0.2.70")).ok).toBe(true);
    const row = await db().loginThrottle.findUniqueOrThrow({ where: { key: "address:192.0.2.70" } });
    expect(row.failures).toBe(0);
    expect(await db().loginThrottle.count({ where: { key: "email:ops@example.com" } })).toBe(0);
  });
});
