import { describe, expect, it } from "vitest";

import { apiRateLimit, DEFAULT_API_RATE_LIMIT, rateLimitHeaders } from "./rate-limit";

describe("API rate limit", () => {
  it.each([
    [undefined, DEFAULT_API_RATE_LIMIT],
    ["", DEFAULT_API_RATE_LIMIT],
    ["5", 5],
    [" 120 ", 120],
    ["0", DEFAULT_API_RATE_LIMIT],
    ["-3", DEFAULT_API_RATE_LIMIT],
    ["2.5", DEFAULT_API_RATE_LIMIT],
    ["lots", DEFAULT_API_RATE_LIMIT],
  ])("FLEETPIN_API_RATE_LIMIT=%j → %d per minute", (value, expected) => {
    expect(apiRateLimit({ FLEETPIN_API_RATE_LIMIT: value })).toBe(expected);
  });

  it("says what is left, and Retry-After only once over the limit", () => {
    expect(rateLimitHeaders(3, 3, 40)).toEqual({ "RateLimit-Limit": "3", "RateLimit-Remaining": "0", "RateLimit-Reset": "40" });
    expect(rateLimitHeaders(3, 4, 40)).toEqual({ "RateLimit-Limit": "3", "RateLimit-Remaining": "0", "RateLimit-Reset": "40", "Retry-After": "40" });
    expect(rateLimitHeaders(3, 1, 59)["RateLimit-Remaining"]).toBe("2");
  });
});
