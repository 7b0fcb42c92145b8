import { describe, expect, it } from "vitest";

import { addToRingFormSchema, rolloutControlFormSchema } from "./rollout-actions";

const ID = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";

describe("rollout control form", () => {
  it.each([
    [{ rolloutId: ID, control: "resume", reason: "" }, true],
    [{ rolloutId: ID, control: "pause", reason: "  " }, false],
    [{ rolloutId: ID, control: "abort", reason: "canary looks bad" }, true],
    [{ rolloutId: ID, control: "advance" }, false],
    [{ rolloutId: ID, control: "restart", reason: "x" }, false],
    [{ rolloutId: "nope", control: "resume" }, false],
  ])("%j valid: %s", (form, valid) => {
    expect(rolloutControlFormSchema.safeParse(form).success).toBe(valid);
  });

  it("names the reason field when it is missing", () => {
    const result = rolloutControlFormSchema.safeParse({ rolloutId: ID, control: "pause", reason: "" });
    expect(result.error?.issues[0]?.path).toEqual(["reason"]);
  });
});

describe("add to ring form", () => {
  it.each([
    [{ ring: "canary", workspaceIds: [ID] }, true],
    [{ ring: "", workspaceIds: [ID] }, false],
    [{ ring: "canary", workspaceIds: [] }, false],
    [{ ring: "canary", workspaceIds: ["x"] }, false],
  ])("%j valid: %s", (form, valid) => {
    expect(addToRingFormSchema.safeParse(form).success).toBe(valid);
  });
});
