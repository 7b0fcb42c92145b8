import { describe, expect, it } from "vitest";

import { apiRateLimit, DEFAULT_API_RATE_LIMIT, rateLimitHeaders } from "./rate-limit";

describe("API rate limit", () => {
  it.each([
    [undefined, DEFAULT_API_RATE_LIMIT],
    ["", DEFAULT_API_RATE_LIMIT],
    ["5", 5],
    [" 120 ", 120],
  ])("FLEETPIN_API_RATE_LIMIT=%j → %d per minute", (value, expected) => {
    expect(apiRateLimit({ FLEETPIN_API_RATE_LIMIT: value })).toBe(expected);
  });

  it.each(["0", "-3", "2.5", "lots"])("refuses FLEETPIN_API_RATE_LIMIT=%j, naming it", (value) => {
    expect(() => apiRateLimit({ FLEETPIN_API_RATE_LIMIT: value })).toThrow(/FLEETPIN_API_RATE_LIMIT/);
  });

  it("says what is left, and Retry-After only once over the limit", () => {
    expect(rateLimitHeaders(3, 3, 40)).toEqual({
      "RateLimit-Limit": "3",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "40",
    });
    expect(rateLimitHeaders(3, 4, 40)).toEqual({
      "RateLimit-Limit": "3",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "40",
      "Retry-After": "40",
    });
    expect(rateLimitHeaders(3, 1, 59)["RateLimit-Remaining"]).toBe("2");
  });
});
