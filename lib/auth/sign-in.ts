import "server-only";

import { ADDRESS_THROTTLE, clearLoginFailures, EMAIL_THROTTLE, getLockedUntil, pruneLoginThrottle, recordLoginFailure, type ThrottleRule } from "@/lib/auth/login-throttle";
import { normalizeEmail } from "@/lib/auth/normalize-email";
import { getDummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import type { SessionUser } from "@/lib/auth/session";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "@/lib/auth/session-policy";
import { createSessionToken } from "@/lib/auth/session-token";
import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { createSession } from "@/lib/db/sessions";
import { getUserCredentials } from "@/lib/db/users";

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
 * (against a dummy hash) so the time taken does not tell. Locked keys (this
 * email, this address) are refused before any password is checked, with the
 * same answer whether the email exists or not. Success writes the session and
 * its `session.sign_in` audit row in one transaction and clears the email's
 * failure count.
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

  const lockedUntil = await getLockedUntil(db, [emailKey, addressKey], now);
  if (lockedUntil) return rateLimited(lockedUntil, now);

  const credentials = await getUserCredentials(db, email);
  const verify = options.verify ?? verifyPassword;
  const valid = await verify(credentials?.passwordHash ?? (await getDummyPasswordHash()), input.password);
  if (!credentials || !valid) {
    const results = await Promise.all([
      recordLoginFailure(db, emailKey, options.emailRule ?? EMAIL_THROTTLE, now),
      recordLoginFailure(db, addressKey, options.addressRule ?? ADDRESS_THROTTLE, now),
    ]);
    if (results.some((result) => result.lockedUntil)) {
      console.warn(`[fleetpin] sign-in locked after repeated failures (email ${email}, address ${input.clientAddress})`);
    }
    return { ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE };
  }

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
  await clearLoginFailures(db, emailKey);
  await pruneLoginThrottle(db, now);
  return { ok: true, user, token, expiresAt, absoluteExpiresAt };
}

function rateLimited(lockedUntil: Date, now: Date): SignInResult {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  return { ok: false, code: "rate_limited", message: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
}
