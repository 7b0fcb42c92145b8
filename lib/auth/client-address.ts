import { type AuthConfig, authConfig } from "@/lib/config";

import { SOCKET_ADDRESS_HEADER } from "./constants";

/**
 * The client address sign-in limits key on and the audit log records.
 *
 * - FLEETPIN_TRUST_PROXY unset: the TCP peer's address, from the header
 *   lib/auth/socket-address.ts writes for every request (a client's own value
 *   is overwritten). X-Forwarded-For and X-Real-IP are ignored: without a
 *   proxy of ours in front, the client writes them (#13 item 2).
 * - FLEETPIN_TRUST_PROXY=N (1 for one reverse proxy): the address the
 *   outermost of the N trusted proxies appended to X-Forwarded-For. Counting
 *   from the right of [X-Forwarded-For entries..., socket address], each
 *   trusted hop is one step left; entries further left were written by the
 *   client and are ignored.
 * "unknown" when neither is there (a request that never passed the stamping,
 * e.g. before start-up installed it); all such requests share one key.
 */
export function clientAddress(
  headers: Pick<Headers, "get">,
  auth: Pick<AuthConfig, "trustProxyHops"> = authConfig(),
): string {
  const socket = headers.get(SOCKET_ADDRESS_HEADER)?.trim() || undefined;
  const hops = auth.trustProxyHops;
  if (hops === 0) return socket ? normalizeAddress(socket) : "unknown";

  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) {
    const realIp = headers.get("x-real-ip")?.trim();
    if (realIp) return normalizeAddress(realIp);
  }
  const chain = socket ? [...forwarded, socket] : forwarded;
  if (chain.length === 0) return "unknown";
  // With the socket at the end, the outermost trusted proxy's entry is `hops` steps from the right.
  const index = Math.max(chain.length - 1 - (socket ? hops : hops - 1), 0);
  return normalizeAddress(chain[index] as string);
}

// "::ffff:10.0.0.1" and "10.0.0.1" are one client; keys stay short.
function normalizeAddress(address: string): string {
  const plain = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
  return plain.slice(0, 64);
}
