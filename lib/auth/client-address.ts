import type { EnvVars } from "@/lib/auth/env-vars";

/**
 * The client address sign-in throttling keys on.
 *
 * Server actions cannot see the socket. What they can see is X-Forwarded-For,
 * which Next.js fills with the socket address when the request arrives
 * without one. So:
 * - FLEETPIN_TRUST_PROXY unset: the last X-Forwarded-For entry. For a direct
 *   connection that is the real socket address, but a client may send the
 *   header itself and pick its own address key; the per-address limit is then
 *   only a speed bump, and the per-email limit (which no header changes) is
 *   the real guard.
 * - FLEETPIN_TRUST_PROXY=N (1 for one reverse proxy): the N-th entry from the
 *   right, i.e. the address the outermost trusted proxy saw. Entries further
 *   left were written by the client and are ignored.
 * X-Real-IP is used only behind a trusted proxy and only when X-Forwarded-For is absent.
 */
export function clientAddress(headers: Pick<Headers, "get">, env: EnvVars): string {
  const hops = trustedProxyHops(env);
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length > 0) {
    const index = Math.max(entries.length - Math.max(hops, 1), 0);
    return normalizeAddress(entries[index] as string);
  }
  const realIp = hops > 0 ? headers.get("x-real-ip")?.trim() : undefined;
  return realIp ? normalizeAddress(realIp) : "unknown";
}

function trustedProxyHops(env: EnvVars): number {
  const raw = env.FLEETPIN_TRUST_PROXY?.trim();
  if (!raw) return 0;
  if (raw === "true") return 1;
  const hops = Number(raw);
  return Number.isInteger(hops) && hops >= 0 && hops <= 10 ? hops : 1;
}

// "::ffff:10.0.0.1" and "10.0.0.1" are one client; keys stay short.
function normalizeAddress(address: string): string {
  const plain = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
  return plain.slice(0, 64);
}
