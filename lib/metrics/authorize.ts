import { clientAddress } from "@/lib/auth/client-address";
import type { EnvVars } from "@/lib/auth/env-vars";

/** True for 127.0.0.0/8 and ::1, in any of the spellings a socket reports. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.trim().toLowerCase().replace(/^::ffff:/, "");
  return /^127(\.\d{1,3}){3}$/.test(plain) || plain === "::1" || plain === "0:0:0:0:0:0:0:1";
}

/**
 * Who may scrape /metrics: a client on this machine (the TCP peer, or with FLEETPIN_TRUST_PROXY the
 * client the trusted proxies name, so a reverse proxy on loopback does not open it to the world),
 * otherwise `Authorization: Bearer <viewer token>`. Returns null when allowed, else the 401 answer.
 */
export function authorizeMetricsRequest(request: Request, env: EnvVars = process.env): Response | null {
  const forwarded = request.headers.has("x-forwarded-for") || request.headers.has("forwarded");
  // Without FLEETPIN_TRUST_PROXY a forwarded request came through a proxy we were not told about: its
  // socket peer (the proxy) says nothing about the client.
  const local = isLoopbackAddress(clientAddress(request.headers, env)) && (!forwarded || Boolean(env.FLEETPIN_TRUST_PROXY?.trim()));
  if (local) return null;
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (token) {
    // TODO(lead): accept a viewer (or operator) API token here with the token check the API helper
    // builds in lib/api or lib/auth (issue #15, "API tokens"), e.g. `if (await verifyApiToken(token, "viewer")) return null;`.
    return unauthorized("API tokens are not accepted here yet; scrape from this machine (loopback).");
  }
  return unauthorized("Scrape /metrics from this machine, or send Authorization: Bearer <viewer token>.");
}

function unauthorized(detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, detail }), {
    status: 401,
    headers: { "content-type": "application/problem+json", "www-authenticate": 'Bearer realm="fleetpin"', "cache-control": "no-store" },
  });
}
