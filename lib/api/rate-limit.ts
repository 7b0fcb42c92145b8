/** Calls per token per minute when FLEETPIN_API_RATE_LIMIT is not set: ten a second, far above what a CI job needs. */
export const DEFAULT_API_RATE_LIMIT = 600;

/** The per-token limit of calls per minute: FLEETPIN_API_RATE_LIMIT (a positive whole number), else the default. */
export function apiRateLimit(env: Record<string, string | undefined>): number {
  const text = env.FLEETPIN_API_RATE_LIMIT?.trim();
  if (!text) return DEFAULT_API_RATE_LIMIT;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_API_RATE_LIMIT;
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
