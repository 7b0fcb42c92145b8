import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { releaseSignInAttempt, reserveSignInAttempt } from "@/lib/db/login-throttle";
import { createSession } from "@/lib/db/sessions";
import { normalizeEmail, getUserCredentials } from "@/lib/db/users";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "@/lib/domain/session-policy";
import { getLogger } from "@/lib/log/logger";

import { ADDRESS_THROTTLE, EMAIL_THROTTLE, retryMessage, type ThrottleRule } from "./login-throttle";
import { getDummyPasswordHash, verifyPassword } from "./password";
import type { SessionUser } from "./session";
import { createSessionToken } from "./session-token";

/** The one answer for an unknown email, a wrong password, or both. */
export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";

export type SignInResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: Date; absoluteExpiresAt: Date }
  | { ok: false; code: "invalid_credentials" | "rate_limited"; message: string };

export type SignInOptions = {
  now?: Date;
  policy?: SessionPolicy;
  emailRule?: ThrottleRule;
  addressRule?: ThrottleRule;
  /** The password check; replaceable so tests can see it runs for unknown emails too. */
  verify?: (passwordHash: string, password: string) => Promise<boolean>;
};

/**
 * Checks an email and password and opens a session. Every failure looks the
 * same from outside: one message, and an argon2 verify even for unknown emails
 * (against a dummy hash) so the time taken does not tell. Each attempt is
 * first reserved against the email's and the address's limits (one atomic
 * statement); a refused one gets no password check, with the same answer
 * whether the email exists or not. Success writes the session and its
 * `session.sign_in` audit row in one transaction and releases the attempt.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; clientAddress: string },
  options: SignInOptions = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const email = normalizeEmail(input.email);
  const emailKey = `email:${email}`;
  const addressKey = `address:${input.clientAddress}`;
  const keys = { email: emailKey, address: addressKey };
  const rules = { email: options.emailRule ?? EMAIL_THROTTLE, address: options.addressRule ?? ADDRESS_THROTTLE };

  // Counted before the hash is checked, so parallel posts cannot all get through.
  const reservation = await reserveSignInAttempt(db, keys, rules, now);
  if (!reservation.allowed) return { ok: false, code: "rate_limited", message: retryMessage(reservation.retryAt, now) };
  if (reservation.emailAttempts === rules.email.freeAttempts) {
    getLogger({ source: "signIn" }).warn(
      { event: "sign_in_slowed", email, clientAddress: input.clientAddress },
      "sign-in slowed down after repeated attempts",
    );
  }
  if (reservation.addressAttempts === rules.address.freeAttempts) {
    getLogger({ source: "signIn" }).warn(
      { event: "sign_in_locked", clientAddress: input.clientAddress, attempts: rules.address.freeAttempts },
      "sign-in locked for an address after too many attempts",
    );
  }

  const credentials = await getUserCredentials(db, email);
  const verify = options.verify ?? verifyPassword;
  const valid = await verify(credentials?.passwordHash ?? (await getDummyPasswordHash()), input.password);
  if (!credentials || !valid) return { ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE };

  const { token, id } = createSessionToken();
  const user: SessionUser = { id: credentials.id, email: credentials.email, role: credentials.role };
  const { expiresAt, absoluteExpiresAt } = await db.$transaction(async (tx) => {
    const created = await createSession(tx, { id, userId: user.id, now }, options.policy ?? DEFAULT_SESSION_POLICY);
    await recordAudit(tx, {
      actor: user.email,
      action: "session.sign_in",
      targetType: "session",
      targetId: user.id,
      after: { session: id.slice(0, 12), role: user.role, address: input.clientAddress },
    });
    return created;
  });
  await releaseSignInAttempt(db, keys);
  return { ok: true, user, token, expiresAt, absoluteExpiresAt };
}
