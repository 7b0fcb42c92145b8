import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { isSealedSecret, openSecret, sealSecret, SecretBoxError } from "./secret-box";

describe("secret box", () => {
  const key = randomBytes(32);
  const pem = "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n";

  it("opens what it sealed, and never stores the clear text", () => {
    const sealed = sealSecret(pem, key);
    expect(sealed.startsWith("v1:")).toBe(true);
    expect(sealed).not.toContain("PRIVATE KEY");
    expect(openSecret(sealed, key)).toBe(pem);
  });

  it("seals the same value differently each time (fresh IV)", () => {
    expect(sealSecret(pem, key)).not.toBe(sealSecret(pem, key));
  });

  it.each([
    ["another key", (s: string) => s, randomBytes(32)],
    ["an edited ciphertext", (s: string) => s.slice(0, -4) + (s.endsWith("AAAA") ? "BBBB" : "AAAA"), key],
    [
      "an edited tag",
      (s: string) =>
        s
          .split(":")
          .map((p, i) => (i === 2 ? Buffer.alloc(16).toString("base64") : p))
          .join(":"),
      key,
    ],
    ["an unknown version", (s: string) => s.replace(/^v1/, "v9"), key],
    ["a truncated value", (s: string) => s.split(":").slice(0, 2).join(":"), key],
  ])("refuses %s", (_what, edit, openKey) => {
    expect(() => openSecret(edit(sealSecret(pem, key)), openKey)).toThrow(SecretBoxError);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => sealSecret(pem, randomBytes(16))).toThrow(SecretBoxError);
  });

  it("tells sealed values from plain ones written before a column was sealed", () => {
    expect(isSealedSecret(sealSecret(pem, key))).toBe(true);
    expect(isSealedSecret(sealSecret("", key))).toBe(true);
  });

  it.each([
    ["a generated webhook secret", "whsec_abcdefghijklmnopqrstuvwxyz012345"],
    ["a plain secret starting with v1:", "v1:my-own-secret:with:colons"],
    [
      "the right shape with a short IV",
      `v1:${Buffer.alloc(8).toString("base64")}:${Buffer.alloc(16).toString("base64")}:AAAA`,
    ],
    [
      "the right shape with a short tag",
      `v1:${Buffer.alloc(12).toString("base64")}:${Buffer.alloc(8).toString("base64")}:AAAA`,
    ],
    ["an empty string", ""],
  ])("takes %s for plain text", (_what, value) => {
    expect(isSealedSecret(value)).toBe(false);
  });
});
