import { bearerToken, isWellFormedApiToken } from "@/lib/api/api-token";
import { authenticateApiRequest } from "@/lib/api/authenticate";
import { clientAddress } from "@/lib/auth/client-address";
import { SOCKET_ADDRESS_HEADER } from "@/lib/auth/constants";
import { authConfig, type Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";

/** True for 127.0.0.0/8 and ::1, in any of the spellings a socket reports. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:/, "");
  return /^127(\.\d{1,3}){3}$/.test(plain) || plain === "::1" || plain === "0:0:0:0:0:0:0:1";
}

/**
 * Who may scrape /metrics: a client on this machine (the TCP peer, or with FLEETPIN_TRUST_PROXY the
 * client the trusted proxies name, so a reverse proxy on loopback does not open it to the world),
 * otherwise `Authorization: Bearer <viewer token>`. Returns null when allowed, else the 401 answer.
 */
export async function authorizeMetricsRequest(
  request: Request,
  getDb: () => Promise<Db>,
  env?: Env,
): Promise<Response | null> {
  // Without FLEETPIN_TRUST_PROXY a forwarded request came through a proxy we were not told about: its
  // socket peer (the proxy) says nothing about the client.
  const auth = authConfig(env);
  const local =
    isLoopbackAddress(clientAddress(request.headers, auth)) &&
    (!forwardedByAnotherHop(request.headers) || auth.trustProxyHops > 0);
  if (local) return null;
  const token = bearerToken(request.headers.get("authorization"));
  if (token && !isWellFormedApiToken(token)) return unauthorized("That is not a Fleetpin API token (fp_…).");
  if (token) {
    // The API's own check: unknown, revoked and expired tokens are refused, and the token's rate limit applies.
    const auth = await authenticateApiRequest(await getDb(), request, "viewer", env);
    if (auth.ok) return null;
    return new Response(JSON.stringify(auth.problem), {
      status: auth.problem.status,
      headers: { ...auth.headers, "content-type": "application/problem+json", "cache-control": "no-store" },
    });
  }
  return unauthorized("Scrape /metrics from this machine, or send Authorization: Bearer <viewer token>.");
}

/**
 * True when a hop before the socket peer is named: a `Forwarded` header, or an X-Forwarded-For
 * entry other than the peer's own address. `next start` fills X-Forwarded-For with the socket's
 * remote address when the client sent none, so that header alone says nothing: every direct
 * scrape from this machine carries `X-Forwarded-For: 127.0.0.1`.
 */
function forwardedByAnotherHop(headers: Headers): boolean {
  if (headers.has("forwarded")) return true;
  const socket = headers.get(SOCKET_ADDRESS_HEADER)?.trim() ?? "";
  return (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .some((entry) => entry !== "" && entry !== socket);
}

function unauthorized(detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, detail }), {
    status: 401,
    headers: {
      "content-type": "application/problem+json",
      "www-authenticate": 'Bearer realm="fleetpin"',
      "cache-control": "no-store",
    },
  });
}
