import { describe, expect, it } from "vitest";

import { createApiTokenSchema } from "./api-token";

describe("the create-token form", () => {
  it.each([
    [
      { name: " ci ", role: "operator", expiresIn: "90d" },
      { name: "ci", role: "operator", expiresIn: 90 * 86_400_000 },
    ],
    [
      { name: "github-actions.main_1", role: "viewer", expiresIn: "" },
      { name: "github-actions.main_1", role: "viewer", expiresIn: null },
    ],
    [
      { name: "ci", role: "viewer" },
      { name: "ci", role: "viewer", expiresIn: null },
    ],
  ])("accepts %j", (input, expected) => {
    expect(createApiTokenSchema.parse(input)).toEqual(expected);
  });

  it.each([
    [{ name: "", role: "operator" }, "name"],
    [{ name: "-ci", role: "operator" }, "name"],
    [{ name: "token:ci", role: "operator" }, "name"],
    [{ name: "x".repeat(65), role: "operator" }, "name"],
    [{ name: "ci", role: "admin" }, "role"],
    [{ name: "ci", role: "viewer", expiresIn: "forever" }, "expiresIn"],
    [{ name: "ci", role: "viewer", expiresIn: "30m" }, "expiresIn"],
  ])("refuses %j on field %s", (input, field) => {
    const result = createApiTokenSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect([...new Set(result.error?.issues.map((issue) => issue.path[0]))]).toEqual([field]);
  });
});
