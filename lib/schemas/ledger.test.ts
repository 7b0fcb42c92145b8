import { describe, expect, it } from "vitest";

import { liftQuarantineFormSchema, templateSettingsFormSchema } from "./ledger";

const D = `sha256:${"a".repeat(64)}`;

describe("ledger form schemas", () => {
  it.each([
    [
      { templateName: "codex", minDigestAgeSeconds: "", watchedTags: "" },
      { minDigestAgeSeconds: null, watchedTags: null },
    ],
    [
      { templateName: "codex", minDigestAgeSeconds: " 3600 ", watchedTags: "latest, stable  canary" },
      { minDigestAgeSeconds: 3600, watchedTags: ["latest", "stable", "canary"] },
    ],
  ])("settings %j", (input, want) => {
    expect(templateSettingsFormSchema.parse(input)).toMatchObject(want);
  });

  it.each([
    { templateName: "codex", minDigestAgeSeconds: "-1", watchedTags: "" },
    { templateName: "codex", minDigestAgeSeconds: "1.5", watchedTags: "" },
    { templateName: "codex", minDigestAgeSeconds: "soon", watchedTags: "" },
    { templateName: "codex", minDigestAgeSeconds: "", watchedTags: "-bad" },
  ])("refuses settings %j", (input) => {
    expect(templateSettingsFormSchema.safeParse(input).success).toBe(false);
  });

  it("a lift needs a reason and a digest", () => {
    expect(liftQuarantineFormSchema.safeParse({ templateName: "codex", digest: D, reason: "" }).success).toBe(false);
    expect(
      liftQuarantineFormSchema.safeParse({ templateName: "codex", digest: "sha256:x", reason: "ok" }).success,
    ).toBe(false);
    expect(liftQuarantineFormSchema.parse({ templateName: "codex", digest: D, reason: " fixed " })).toEqual({
      templateName: "codex",
      digest: D,
      reason: "fixed",
    });
  });
});
