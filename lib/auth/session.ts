import "server-only";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

import { getDb, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getActiveSession } from "@/lib/db/sessions";
import { ForbiddenError, UnauthenticatedError } from "@/lib/domain/errors";
import { hasRole, type Role } from "@/lib/domain/roles";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "@/lib/domain/session-policy";

import { REQUEST_PATH_HEADER, SESSION_COOKIE } from "./constants";
import { loginPath } from "./safe-next-path";
import { isWellFormedSessionToken, sessionIdFromToken } from "./session-token";

/** The signed-in operator as pages, actions and route handlers see them. */
export type SessionUser = { id: string; email: string; role: Role };

/**
 * The user behind a session token, or null (no token, malformed, unknown,
 * expired). The cookie-free core of getSessionUser, so tests pass a token.
 */
export async function resolveSessionUser(
  db: Db,
  token: string | null | undefined,
  now: Date = new Date(),
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<SessionUser | null> {
  if (!token || !isWellFormedSessionToken(token)) return null;
  const session = await getActiveSession(db, sessionIdFromToken(token), now, policy);
  return session ? { id: session.userId, email: session.email, role: session.role } : null;
}

/**
 * The signed-in user of the current request (session cookie → database), or
 * null. Memoised per request, so a layout and its page share one lookup.
 */
export const getSessionUser: () => Promise<SessionUser | null> = cache(async () => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return resolveSessionUser(await getDb(), token);
});

/**
 * For pages and layouts: the signed-in user, or a redirect to
 * /login?next=<this page>. When the database is down the session cannot be
 * checked, so this fails closed the same way; the login page says why.
 * Route handlers and actions use requireRole (or defineAction), which answer
 * with typed errors instead.
 */
export async function requireUser(): Promise<SessionUser> {
  let user: SessionUser | null;
  try {
    user = await getSessionUser();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    user = null;
  }
  if (user) return user;
  redirect(loginPath((await headers()).get(REQUEST_PATH_HEADER)));
}

/**
 * For route handlers and other server code: the signed-in user holding `role`
 * (operator includes viewer). Throws UnauthenticatedError or ForbiddenError.
 */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new UnauthenticatedError("Your session has ended. Sign in again.");
  assertRole(user, role);
  return user;
}

/** Throws ForbiddenError unless `user` holds `role`; the message says which role is missing. */
export function assertRole(user: SessionUser, role: Role): void {
  if (!hasRole(user.role, role)) {
    throw new ForbiddenError(`This needs the ${role} role; ${user.email} is a ${user.role}. Ask an operator to do it.`);
  }
}

/** True when the user may promote, roll back, unpin and reprovision. */
export function canOperate(user: SessionUser | null | undefined): boolean {
  return !!user && hasRole(user.role, "operator");
}
