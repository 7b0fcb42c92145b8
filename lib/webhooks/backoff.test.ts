import { describe, expect, it } from "vitest";

import { MAX_RETRY_DELAY_SECONDS, nextAttemptAt, retryBaseSeconds, retryDelaySeconds } from "./backoff";
import { signBody, verifySignature } from "./signature";

describe("retry backoff", () => {
  it.each([
    [1, 30, 30],
    [2, 30, 60],
    [3, 30, 120],
    [8, 30, 3600],
    [50, 30, MAX_RETRY_DELAY_SECONDS],
    [1, 0.5, 0.5],
    [4, 0.5, 4],
  ])("after %i failed attempts with base %s s: wait %s s", (attempts, base, wait) => {
    expect(retryDelaySeconds(attempts, base)).toBe(wait);
  });

  it("stops retrying once the next attempt would fall past 24 h after the event", () => {
    const created = new Date("2026-12-01T00:00:00Z");
    expect(nextAttemptAt(created, new Date("2026-12-01T01:00:00Z"), 3, 30)).toEqual(new Date("2026-12-01T01:02:00Z"));
    expect(nextAttemptAt(created, new Date("2026-12-01T23:30:00Z"), 20, 30)).toBeNull();
  });

  it.each([
    [{}, 30],
    [{ FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS: "0.2" }, 0.2],
  ])("base from %j is %s s", (env, base) => expect(retryBaseSeconds(env)).toBe(base));

  it.each(["nope", "-1", "0"])("refuses FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS=%j, naming it", (value) => {
    expect(() => retryBaseSeconds({ FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS: value })).toThrow(
      /FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS/,
    );
  });
});

describe("signature", () => {
  it("is the hex HMAC-SHA256 of the raw body, and only the same secret and bytes verify", () => {
    // echo -n '{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(signBody("secret", '{"a":1}')).toBe(
      "sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494",
    );
    const header = signBody("secret", '{"a":1}');
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature("secret", '{"a":1}', header)).toBe(true);
    expect(verifySignature("other", '{"a":1}', header)).toBe(false);
    expect(verifySignature("secret", '{"a": 1}', header)).toBe(false);
    expect(verifySignature("secret", '{"a":1}', undefined)).toBe(false);
  });
});
