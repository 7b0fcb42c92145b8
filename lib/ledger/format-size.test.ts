import { describe, expect, it } from "vitest";

import { formatBytes, formatSizeDelta } from "./format-size";

describe("sizes in words", () => {
  it.each([
    [null, "—"],
    [0, "0 B"],
    [999, "999 B"],
    [1500, "1.5 kB"],
    [1_234_567, "1.2 MB"],
    [2_500_000_000, "2.5 GB"],
  ])("formatBytes(%j) = %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [null, "unknown"],
    [0, "no change"],
    [1_500_000, "+1.5 MB"],
    [-300, "−300 B"],
  ])("formatSizeDelta(%j) = %s", (delta, text) => expect(formatSizeDelta(delta)).toBe(text));
});
