import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { assignRing, BUCKETS, DEFAULT_RINGS, percentBucket, ringListProblems, type RingConfig } from "./rings";

const ring = (name: string, selector: RingConfig["selector"]): RingConfig => ({
  name,
  bakeSeconds: 60,
  failureBudget: 0,
  maxUnavailable: 0,
  autoAdvance: true,
  selector,
});

/** An id whose bucket satisfies `test` (deterministic: the first of a counted series). */
function idWithBucket(test: (bucket: number) => boolean): string {
  for (let i = 0; ; i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    if (test(percentBucket(id))) return id;
  }
}

const LOW = idWithBucket((b) => b < 500); // in a 5 % ring
const MID = idWithBucket((b) => b >= 500 && b < 3000); // in the next 25 %
const HIGH = idWithBucket((b) => b >= 3000);
const LISTED = idWithBucket((b) => b >= 5000 && b < 6000);

describe("percentBucket", () => {
  it("is stable, in range and ignores case and surrounding space", () => {
    const id = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    expect(percentBucket(id)).toBe(percentBucket(id.toLowerCase()));
    expect(percentBucket(` ${id} `)).toBe(percentBucket(id));
    expect(percentBucket(id)).toBeGreaterThanOrEqual(0);
    expect(percentBucket(id)).toBeLessThan(BUCKETS);
  });

  it("spreads ids over the buckets (5 % of 20 000 random ids land near 5 %)", () => {
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    const low = ids.filter((id) => percentBucket(id) < 500).length;
    expect(low).toBeGreaterThan(800);
    expect(low).toBeLessThan(1200);
  });
});

describe("assignRing", () => {
  const three = [
    ring("canary", { workspaceIds: [LISTED.toUpperCase()], labels: { "molecule.ring": "canary" }, percent: 5 }),
    ring("early", { labels: { region: "eu" }, percent: 25 }),
    ring("fleet", null),
  ];
  const ws = (id: string, labels: Record<string, string> = {}, hostLabels: Record<string, string> = {}) => ({
    id,
    labels,
    hostLabels,
  });

  it.each<[string, ReturnType<typeof ws>, RingConfig[], number]>([
    ["explicit id wins (any case)", ws(LISTED, { region: "eu" }), three, 0],
    ["container label", ws(HIGH, { "molecule.ring": "canary" }), three, 0],
    ["host label", ws(HIGH, {}, { region: "eu" }), three, 1],
    ["labels beat percent", ws(LOW, { region: "eu" }), three, 1],
    [
      "every pair must match",
      ws(HIGH, { region: "eu" }),
      [ring("x", { labels: { region: "eu", tier: "1" } }), ring("rest", null)],
      1,
    ],
    [
      "pairs may come from container and host",
      ws(HIGH, { region: "eu" }, { tier: "1" }),
      [ring("x", { labels: { region: "eu", tier: "1" } }), ring("rest", null)],
      0,
    ],
    ["low bucket in the first percent ring", ws(LOW), three, 0],
    ["middle bucket in the second (cumulative threshold)", ws(MID), three, 1],
    ["high bucket in the last ring", ws(HIGH), [three[1]!, three[2]!], 1],
    [
      "rings without percent are passed over",
      ws(MID),
      [ring("ids", { workspaceIds: [LOW] }), ring("p", { percent: 30 }), ring("rest", null)],
      1,
    ],
    ["a single ring holds everyone", ws(LOW), [ring("only", null)], 0],
    ["100 % takes all", ws(HIGH), [ring("all", { percent: 100 }), ring("rest", null)], 0],
  ])("%s", (_name, candidate, rings, expected) => {
    expect(assignRing(candidate, rings)).toBe(expected);
  });

  it("keeps every canary of a 100-workspace fleet in the canary when the fleet grows to 200", () => {
    const fleet = Array.from({ length: 100 }, () => randomUUID());
    const canaryOf = (ids: string[]) => ids.filter((id) => assignRing(ws(id), DEFAULT_RINGS) === 0);
    const before = canaryOf(fleet);
    const grown = [...fleet, ...Array.from({ length: 100 }, () => randomUUID())];
    const after = canaryOf(grown);
    for (const id of before) expect(after).toContain(id);
    // And nobody left: the earlier 100 are assigned exactly as before.
    expect(fleet.map((id) => assignRing(ws(id), DEFAULT_RINGS))).toEqual(
      grown.slice(0, 100).map((id) => assignRing(ws(id), DEFAULT_RINGS)),
    );
  });
});

describe("ringListProblems", () => {
  it("accepts the defaults", () => {
    expect(ringListProblems(DEFAULT_RINGS)).toEqual([]);
  });

  it.each<[string, RingConfig[], RegExp]>([
    ["none", [], /between 1 and 10/],
    [
      "eleven",
      Array.from({ length: 11 }, (_, i) => ring(`r${i}`, i === 10 ? null : { percent: 1 })),
      /between 1 and 10/,
    ],
    ["duplicate names", [ring("a", { percent: 5 }), ring("a", null)], /unique/],
    ["last with selector", [ring("a", { percent: 5 }), ring("b", { percent: 5 })], /holds the rest/],
    ["middle without selector", [ring("a", null), ring("b", null)], /Only the last ring/],
    ["empty selector", [ring("a", {}), ring("b", null)], /selects nothing/],
    ["percent 0", [ring("a", { percent: 0 }), ring("b", null)], /percent/],
    ["percent over 100", [ring("a", { percent: 101 }), ring("b", null)], /percent/],
    ["bake too long", [{ ...ring("a", null), bakeSeconds: 86_401 }], /bake time/],
    ["negative budget", [{ ...ring("a", null), failureBudget: -1 }], /failure budget/],
  ])("refuses %s", (_name, rings, message) => {
    expect(ringListProblems(rings).join(" ")).toMatch(message);
  });
});
