import { describe, expect, it } from "vitest";

import { withExplicitMembers } from "./ring-membership";
import { assignRing, type RingConfig } from "./rings";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "bbbbbbbb-0000-4000-8000-000000000002";

const ring = (name: string, selector: RingConfig["selector"]): RingConfig => ({
  name,
  bakeSeconds: 1,
  failureBudget: 0,
  maxUnavailable: 1,
  autoAdvance: true,
  selector,
});

const RINGS = [
  ring("canary", { workspaceIds: [A], percent: 5 }),
  ring("early", { labels: { region: "eu" } }),
  ring("fleet", null),
];

describe("explicit ring membership", () => {
  it("adds to the chosen ring and takes the ids out of every other ring", () => {
    const next = withExplicitMembers(RINGS, "early", [A.toUpperCase(), B])!;
    expect(next[0]!.selector).toEqual({ percent: 5 });
    expect(next[1]!.selector).toEqual({ labels: { region: "eu" }, workspaceIds: [A, B] });
    expect(next[2]).toEqual(RINGS[2]);
    for (const id of [A, B]) expect(assignRing({ id, labels: {}, hostLabels: {} }, next)).toBe(1);
  });

  it("adds each id once", () => {
    const next = withExplicitMembers(RINGS, "canary", [A, A, B])!;
    expect(next[0]!.selector?.workspaceIds).toEqual([A, B]);
  });

  it("with no ring, only removes explicit membership", () => {
    const next = withExplicitMembers(RINGS, null, [A])!;
    expect(next[0]!.selector).toEqual({ percent: 5 });
  });

  it.each([["fleet"], ["nope"]])("refuses %s (the last ring or an unknown name)", (name) => {
    expect(withExplicitMembers(RINGS, name, [A])).toBeNull();
  });
});
