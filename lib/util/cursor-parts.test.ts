import { describe, expect, it } from "vitest";

import { isBigintId, isCursorTime } from "./cursor-parts";

describe("isCursorTime", () => {
  it.each([
    ["2026-03-01T08:00:00.000000Z", true],
    ["0001-01-01T00:00:00.000000Z", true],
    ["9999-12-31T23:59:59.999999Z", true],
    ["2024-02-29T12:00:00.000000Z", true],
    ["2000-02-29T12:00:00.000000Z", true],
    ["2023-02-29T12:00:00.000000Z", false],
    ["1900-02-29T12:00:00.000000Z", false],
    ["0000-01-01T00:00:00.000000Z", false],
    ["2026-00-10T00:00:00.000000Z", false],
    ["2026-13-10T00:00:00.000000Z", false],
    ["2026-04-31T00:00:00.000000Z", false],
    ["2026-01-00T00:00:00.000000Z", false],
    ["2026-01-01T24:00:00.000000Z", false],
    ["2026-01-01T00:60:00.000000Z", false],
    ["2026-01-01T00:00:60.000000Z", false],
    ["2026-01-01T00:00:00Z", false],
    ["2026-01-01 00:00:00.000000Z", false],
  ])("%s → %s", (text, expected) => {
    expect(isCursorTime(text)).toBe(expected);
  });
});

describe("isBigintId", () => {
  it.each([
    ["1", true],
    ["9223372036854775807", true],
    ["9223372036854775808", false],
    ["9999999999999999999", false],
    ["0", false],
    ["", false],
    ["-1", false],
    ["12a", false],
  ])("%j → %s", (text, expected) => {
    expect(isBigintId(text)).toBe(expected);
  });
});
