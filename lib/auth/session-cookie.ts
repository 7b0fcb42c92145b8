import "server-only";

import { cookies } from "next/headers";

import { type AuthConfig, authConfig } from "@/lib/config";

import { SESSION_COOKIE } from "./constants";

/** The session token the browser sent, if any. */
export async function readSessionToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/**
 * Sets the session cookie: HttpOnly (no script can read it), SameSite=Lax (not
 * sent on cross-site posts), Secure unless FLEETPIN_INSECURE_COOKIES=1, and
 * living until the session's absolute end (the server enforces the idle limit).
 */
export async function setSessionCookie(
  token: string,
  expires: Date,
  auth: Pick<AuthConfig, "secureCookies"> = authConfig(),
): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: auth.secureCookies,
    path: "/",
    expires,
  });
}

/** Removes the session cookie (same attributes, so the browser matches and drops it). */
export async function clearSessionCookie(auth: Pick<AuthConfig, "secureCookies"> = authConfig()): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: auth.secureCookies,
    path: "/",
    expires: new Date(0),
  });
}
