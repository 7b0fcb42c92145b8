import { describe, expect, it } from "vitest";

import { rollbackTargetFromHistory, type PinHistoryStep } from "./rollback-target";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const C = `sha256:${"c".repeat(64)}`;
const D = `sha256:${"d".repeat(64)}`;

const promote = (fromDigest: string | null, toDigest: string): PinHistoryStep => ({
  action: "promote",
  fromDigest,
  toDigest,
});
const rollback = (fromDigest: string, toDigest: string): PinHistoryStep => ({
  action: "rollback",
  fromDigest,
  toDigest,
});
const unpin = (fromDigest: string): PinHistoryStep => ({ action: "unpin", fromDigest, toDigest: null });

describe("rollbackTargetFromHistory", () => {
  it.each<[string, PinHistoryStep[], string | null, string | null]>([
    ["no history", [], A, null],
    ["unpinned now", [promote(null, A), unpin(A)], null, null],
    ["first pin has nothing before it", [promote(null, A)], A, null],
    ["A→B goes back to A", [promote(null, A), promote(A, B)], B, A],
    ["A→B→C goes back to B", [promote(null, A), promote(A, B), promote(B, C)], C, B],
    ["A→B→C→rollback goes on back to A", [promote(null, A), promote(A, B), promote(B, C), rollback(C, B)], B, A],
    [
      "A→B→C→rollback→rollback has nothing left",
      [promote(null, A), promote(A, B), promote(B, C), rollback(C, B), rollback(B, A)],
      A,
      null,
    ],
    [
      "A→B→C→rollback→promote D goes back to B",
      [promote(null, A), promote(A, B), promote(B, C), rollback(C, B), promote(B, D)],
      D,
      B,
    ],
    [
      "re-promoting an older digest goes back to the one it replaced",
      [promote(null, A), promote(A, B), promote(B, A)],
      A,
      B,
    ],
    ["an unpin ends the line of releases", [promote(null, A), promote(A, B), unpin(B), promote(null, C)], C, null],
    ["releases after an unpin count again", [promote(null, A), unpin(A), promote(null, C), promote(C, D)], D, C],
    ["a pin written outside history is not rolled back", [promote(null, A), promote(A, B)], C, null],
  ])("%s", (_name, history, current, expected) => {
    expect(rollbackTargetFromHistory(history, current)).toBe(expected);
  });
});
