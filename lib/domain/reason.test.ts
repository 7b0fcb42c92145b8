import { describe, expect, it } from "vitest";

import { ValidationError } from "./errors";
import { MAX_REASON_LENGTH, normalizeReason } from "./reason";

describe("normalizeReason", () => {
  it("trims", () => {
    expect(normalizeReason("  rollout  ")).toBe("rollout");
  });

  it.each([undefined, null, "", "   ", 42])("requires a reason (%s)", (value) => {
    expect(() => normalizeReason(value)).toThrow(ValidationError);
  });

  it("gives null for a blank optional reason", () => {
    expect(normalizeReason("  ", { optional: true })).toBeNull();
  });

  it("caps the length, counted after trimming", () => {
    expect(normalizeReason(` ${"x".repeat(MAX_REASON_LENGTH)} `)).toHaveLength(MAX_REASON_LENGTH);
    expect(() => normalizeReason("x".repeat(MAX_REASON_LENGTH + 1), { optional: true })).toThrow(/keep it to 500/);
  });
});
