"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";

import { clientAddress } from "@/lib/auth/client-address";
import { secureCookieProblem } from "@/lib/auth/cookie-security";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "@/lib/auth/session-cookie";
import { signIn } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/sign-in-schema";
import { signOut } from "@/lib/auth/sign-out";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getLogger } from "@/lib/log/logger";

/** What the login form shows after a failed attempt; the email is kept so it need not be retyped. */
export type SignInState = {
  message: string;
  code: string;
  email: string;
  fieldErrors?: Record<string, string[]>;
} | null;

/** Signs in with email and password, sets the session cookie and goes to `next` (same-site paths only). */
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return { message: "Check the highlighted fields.", code: "invalid_input", email, fieldErrors };
  }

  const requestHeaders = await headers();
  const cookieProblem = secureCookieProblem({
    protocol: requestHeaders.get("x-forwarded-proto"),
    host: requestHeaders.get("host"),
  });
  if (cookieProblem) return { message: cookieProblem, code: "insecure_transport", email };

  let result: Awaited<ReturnType<typeof signIn>>;
  try {
    result = await signIn(await getDb(), {
      email: parsed.data.email,
      password: parsed.data.password,
      clientAddress: clientAddress(requestHeaders),
    });
  } catch (error) {
    getLogger({ source: "signIn" }).error({ email: parsed.data.email, err: error }, "sign-in failed");
    // Nobody is signed in yet: the database's host and user stay in the log.
    if (isDatabaseUnavailable(error)) {
      return {
        message: "Sign-in is unavailable: Fleetpin cannot reach its database. The server log has the details.",
        code: "database_unavailable",
        email,
      };
    }
    return { message: "Something went wrong. The error was logged.", code: "internal_error", email };
  }
  if (!result.ok) return { message: result.message, code: result.code, email };

  // Signing in again (perhaps as someone else) ends the session this browser held before.
  const previous = await readSessionToken();
  if (previous) {
    await signOut(await getDb(), previous).catch((error: unknown) =>
      getLogger({ source: "signIn" }).error({ err: error }, "could not end the previous session"),
    );
  }
  await setSessionCookie(result.token, result.absoluteExpiresAt);
  redirect(safeNextPath(parsed.data.next));
}

/**
 * Ends the current session (row, audit entry and cookie). Needs no role: it
 * only ever affects the caller's own session, and Next.js refuses
 * cross-origin action posts, so another site cannot sign an operator out.
 */
export async function signOutAction(): Promise<void> {
  const token = await readSessionToken();
  try {
    await signOut(await getDb(), token);
  } catch (error) {
    // The cookie still goes: this browser is signed out either way, and the
    // session row expires by itself (idle limit) if the database missed the delete.
    getLogger({ source: "signIn" }).error({ err: error }, "sign-out could not delete the session row");
  }
  await clearSessionCookie();
  redirect("/login?signed_out=1");
}
