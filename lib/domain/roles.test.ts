import { describe, expect, it } from "vitest";

import { hasRole, isRole } from "./roles";

describe("roles", () => {
  it.each([
    ["viewer", "viewer", true],
    ["viewer", "operator", false],
    ["operator", "viewer", true],
    ["operator", "operator", true],
  ] as const)("%s may do what needs %s: %s", (actual, required, expected) => {
    expect(hasRole(actual, required)).toBe(expected);
  });

  it("knows only the two role names", () => {
    expect(isRole("viewer")).toBe(true);
    expect(isRole("operator")).toBe(true);
    expect(isRole("admin")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
