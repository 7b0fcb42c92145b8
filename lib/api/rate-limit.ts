import { apiConfig, type Env } from "@/lib/config";

export { DEFAULT_API_RATE_LIMIT } from "@/lib/config";

/** The per-token limit of calls per minute (FLEETPIN_API_RATE_LIMIT, parsed by lib/config). */
export function apiRateLimit(env?: Env): number {
  return apiConfig(env).rateLimitPerMinute;
}

/**
 * The headers that tell a client where it stands (IETF draft "RateLimit header fields"), plus
 * Retry-After (RFC 9110) when it is over the limit: the seconds until its window ends.
 */
export function rateLimitHeaders(limit: number, calls: number, resetsInSeconds: number): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, limit - calls)),
    "RateLimit-Reset": String(resetsInSeconds),
  };
  if (calls > limit) headers["Retry-After"] = String(resetsInSeconds);
  return headers;
}
