import { describe, expect, it } from "vitest";
import { z } from "zod";

import { promotePinSchema, rollbackPinSchema } from "./pin";

const DIGEST = `sha256:${"a".repeat(64)}`;
const base = { templateName: "langgraph", expectedDigest: "", reason: "CVE fix" };

describe("promotePinSchema", () => {
  it.each([
    ["a digest", DIGEST],
    ["a semver tag", "v1.4.2"],
    ["latest", "latest"],
    ["a tag with dots and dashes", "2026.05.14-rc_1"],
    ["a digest with surrounding spaces", `  ${DIGEST} `],
  ])("accepts %s", (_label, digestOrTag) => {
    const parsed = promotePinSchema.safeParse({ ...base, digestOrTag });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.digestOrTag).toBe(digestOrTag.trim());
  });

  it.each([
    ["an empty value", "", "Enter a digest or a tag."],
    ["a short digest", "sha256:abc", "Enter sha256:"],
    ["an uppercase digest", `sha256:${"A".repeat(64)}`, "Enter sha256:"],
    ["a full reference", "ghcr.io/x/y:v1", "Enter sha256:"],
    ["a tag starting with a dot", ".hidden", "Enter sha256:"],
  ])("refuses %s with a field error", (_label, digestOrTag, message) => {
    const parsed = promotePinSchema.safeParse({ ...base, digestOrTag });
    expect(parsed.success).toBe(false);
    expect(z.flattenError(parsed.error!).fieldErrors.digestOrTag?.[0]).toContain(message);
  });

  it("turns an empty expectedDigest into null (expected unpinned) and keeps a digest", () => {
    expect(promotePinSchema.parse({ ...base, digestOrTag: "v1" }).expectedDigest).toBeNull();
    expect(promotePinSchema.parse({ ...base, digestOrTag: "v1", expectedDigest: DIGEST }).expectedDigest).toBe(DIGEST);
  });

  it("requires a reason of at most 500 characters, trimmed", () => {
    const blank = promotePinSchema.safeParse({ ...base, digestOrTag: "v1", reason: "   " });
    expect(z.flattenError(blank.error!).fieldErrors.reason?.[0]).toMatch(/reason/i);
    expect(promotePinSchema.safeParse({ ...base, digestOrTag: "v1", reason: "x".repeat(501) }).success).toBe(false);
    expect(promotePinSchema.parse({ ...base, digestOrTag: "v1", reason: "  why  " }).reason).toBe("why");
  });
});

describe("rollbackPinSchema", () => {
  it("needs the digest it expects to replace", () => {
    expect(
      rollbackPinSchema.safeParse({ templateName: "codex", expectedDigest: "", reason: "bad build" }).success,
    ).toBe(false);
    expect(rollbackPinSchema.parse({ templateName: "codex", expectedDigest: DIGEST, reason: "bad build" })).toEqual({
      templateName: "codex",
      expectedDigest: DIGEST,
      reason: "bad build",
    });
  });
});
