import { describe, expect, it } from "vitest";

import {
  apiTokenActor,
  bearerToken,
  generateApiToken,
  hashApiToken,
  isWellFormedApiToken,
  parseExpiresIn,
} from "./api-token";

describe("API tokens", () => {
  it("are fp_ plus 43 base64url characters, hashed with sha256, shown by a short prefix", () => {
    const { token, hash, prefix } = generateApiToken();
    expect(token).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedApiToken(token)).toBe(true);
    expect(hash).toBe(hashApiToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(token.slice(0, 9));
    expect(generateApiToken().token).not.toBe(token);
  });

  it.each([
    ["", false],
    ["fp_short", false],
    [`fp_${"a".repeat(42)}`, false],
    [`fp_${"a".repeat(43)}`, true],
    [`xx_${"a".repeat(43)}`, false],
    [`fp_${"a".repeat(42)}=`, false],
    [`fp_${"a".repeat(43)} `, false],
  ])("well-formed %j → %s", (value, expected) => {
    expect(isWellFormedApiToken(value)).toBe(expected);
  });

  it.each([
    [null, null],
    ["", null],
    ["Bearer fp_abc", "fp_abc"],
    ["bearer   fp_abc", "fp_abc"],
    ["BEARER fp_abc ", "fp_abc"],
    ["Basic dXNlcjpwYXNz", null],
    ["Bearer", null],
    ["Bearer a b", null],
  ])("bearer token of %j → %j", (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it.each([
    ["90d", 90 * 86_400_000],
    ["12h", 12 * 3_600_000],
    ["2w", 14 * 86_400_000],
    [" 1h ", 3_600_000],
    ["0d", null],
    ["90", null],
    ["90m", null],
    ["-1d", null],
    ["3651d", null],
    ["1.5d", null],
  ])("expires-in %j → %j ms", (text, expected) => {
    expect(parseExpiresIn(text)).toBe(expected);
  });

  it("names the token and its creator as the actor", () => {
    expect(apiTokenActor({ name: "ci", createdBy: "olga@example.com" })).toBe("token:ci (created by olga@example.com)");
  });
});
