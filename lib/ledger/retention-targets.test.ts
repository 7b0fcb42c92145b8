import { describe, expect, it } from "vitest";

import type { PinHistoryStep } from "@/lib/domain/rollback-target";

import { rollbackChain, retainedDigests } from "./retention-targets";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const C = `sha256:${"c".repeat(64)}`;
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

describe("rollbackChain", () => {
  it.each([
    { name: "no history", history: [], current: A, chain: [] },
    { name: "first promote: nothing to go back to", history: [promote(null, A)], current: A, chain: [] },
    {
      name: "A→B→C keeps B then A",
      history: [promote(null, A), promote(A, B), promote(B, C)],
      current: C,
      chain: [B, A],
    },
    {
      name: "after a rollback to B only A remains",
      history: [promote(null, A), promote(A, B), promote(B, C), rollback(C, B)],
      current: B,
      chain: [A],
    },
    { name: "a pin written outside Fleetpin", history: [promote(null, A)], current: B, chain: [] },
    {
      name: "after an unpin the line restarts",
      history: [promote(null, A), { action: "unpin", fromDigest: A, toDigest: null }, promote(null, B)],
      current: B,
      chain: [],
    },
    {
      name: "A→B→A→B lists A once",
      history: [promote(null, A), promote(A, B), promote(B, A), promote(A, B)],
      current: B,
      chain: [A],
    },
  ] satisfies { name: string; history: PinHistoryStep[]; current: string; chain: string[] }[])(
    "$name",
    ({ history, current, chain }) => {
      expect(rollbackChain(history, current)).toEqual(chain);
    },
  );

  it("retainedDigests puts the pin first", () => {
    expect(retainedDigests([promote(null, A), promote(A, B)], B)).toEqual([B, A]);
    expect(retainedDigests([], null)).toEqual([]);
  });
});
