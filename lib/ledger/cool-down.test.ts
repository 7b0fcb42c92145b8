import { describe, expect, it } from "vitest";

import { coolDownDecision, formatDuration } from "./cool-down";

describe("coolDownDecision", () => {
  it.each([
    [0, 0, null, "ok"],
    [10, 0, null, "ok"],
    [3600, 3600, null, "ok"],
    [3599, 3600, null, "refuse"],
    [3599, 3600, "  ", "refuse"],
    [3599, 3600, "hotfix for CVE", "override"],
    [7200, 3600, "not needed", "ok"],
  ] as const)("age %d, min %d, override %j → %s", (age, min, override, decision) => {
    expect(coolDownDecision(age, min, override)).toBe(decision);
  });

  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [3600, "1 h"],
    [3720, "1 h 2 min"],
    [86_400, "1 d"],
    [90_000, "1 d 1 h"],
  ])("formatDuration(%d) = %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
