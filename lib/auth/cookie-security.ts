import { type AuthConfig, authConfig } from "@/lib/config";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why the browser would drop our session cookie on this request, or null.
 * Browsers keep Secure cookies only over https or on localhost/127.0.0.1, so a
 * plain-http address such as http://10.0.0.5:3000 would sign in "successfully"
 * and land back on the login page; we say so instead.
 */
export function secureCookieProblem(
  request: { protocol: string | null; host: string | null },
  auth: Pick<AuthConfig, "secureCookies"> = authConfig(),
): string | null {
  // FLEETPIN_INSECURE_COOKIES=1 drops the Secure attribute: nothing for the browser to refuse.
  if (!auth.secureCookies) return null;
  const protocol = (request.protocol ?? "http").split(",")[0]?.trim().toLowerCase();
  if (protocol === "https") return null;
  const host = (request.host ?? "").toLowerCase().replace(/:\d+$/, "");
  if (LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost")) return null;
  return `This dashboard is served over plain HTTP at ${request.host ?? "this address"}, so browsers will not keep the secure session cookie. Serve it over HTTPS (or through a TLS proxy that sets X-Forwarded-Proto), or set FLEETPIN_INSECURE_COOKIES=1 on a trusted network.`;
}
