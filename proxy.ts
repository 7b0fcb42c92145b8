import { NextResponse, type NextRequest } from "next/server";

import { REQUEST_PATH_HEADER, SESSION_COOKIE } from "@/lib/auth/constants";
import { isDecodablePath, loginPath } from "@/lib/auth/safe-next-path";
import { contentSecurityPolicy, createNonce } from "@/lib/security-headers";

// Reachable without signing in. Everything else needs the session cookie.
// The registry's push events authenticate with their own bearer token (lib/ledger/events-token.ts);
// /metrics authorizes itself (loopback or a viewer token: lib/metrics/authorize.ts), as Prometheus has no session.
const PUBLIC_PATHS = new Set(["/login", "/api/health", "/api/v1/registry/events", "/metrics"]);
const CSP = "Content-Security-Policy";

/**
 * First, cheap gate: a request without the session cookie goes to the login
 * page (pages) or gets 401 JSON (/api). It only checks that the cookie
 * exists; pages, actions and route handlers validate the session themselves.
 * Every answer carries a Content-Security-Policy with a nonce made for this
 * request; Next.js finds the nonce in the request's CSP header and puts it on
 * its scripts (the other security headers come from next.config.js).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Next.js answers a path that is not valid percent-encoding ("/pins/%E0%A4%A")
  // with a bare 500 after this point; it names nothing, so it is not found (#13 item 7).
  if (!isDecodablePath(pathname))
    return new NextResponse("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const policy = contentSecurityPolicy(createNonce(), { dev: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  // Always ours, never the client's: pages use it to build /login?next=….
  forwarded.set(REQUEST_PATH_HEADER, `${pathname}${search}`);
  forwarded.set(CSP, policy);
  const withPolicy = (response: NextResponse) => {
    response.headers.set(CSP, policy);
    return response;
  };
  const next = () => withPolicy(NextResponse.next({ request: { headers: forwarded } }));

  // /api/v1 authenticates every call itself with a bearer token and never reads the session
  // cookie, so neither the cookie gate nor its redirect applies there (issue #15).
  if (pathname === "/api/v1" || pathname.startsWith("/api/v1/")) return next();
  if (PUBLIC_PATHS.has(pathname) || request.cookies.has(SESSION_COOKIE)) return next();
  // A server action answers for itself ({ ok: false, code: "unauthenticated" }); a
  // redirect would turn the POST into a confusing page load.
  if (request.method === "POST" && request.headers.has("next-action")) return next();
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    return withPolicy(
      NextResponse.json({ ok: false, code: "unauthenticated", message: "Sign in first." }, { status: 401 }),
    );
  }
  return withPolicy(NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), request.url)));
}

export const config = {
  // Skip Next's own assets and static files; they carry no data.
  matcher: [
    "/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt|.*\\.(?:png|jpg|jpeg|gif|svg|ico|webp|css|js|map|txt|woff2?)$).*)",
  ],
};
