import { describe, expect, it } from "vitest";

import {
  blankRingDraft,
  draftsFromRings,
  moveRing,
  parseIdList,
  parseLabels,
  ringsBodyFromDrafts,
  type RingWire,
} from "./ring-form";

const WIRE: RingWire[] = [
  {
    name: "canary",
    bake_seconds: 600,
    failure_budget: 0,
    max_unavailable: 1,
    auto_advance: true,
    selector: { workspace_ids: ["a", "b"], labels: { "molecule.ring": "canary" }, percent: 5 },
  },
  {
    name: "early",
    bake_seconds: 300,
    failure_budget: 1,
    max_unavailable: 2,
    auto_advance: false,
    selector: { percent: 25 },
    probe: { path: "/health", expected_status: 204 },
  },
  { name: "fleet", bake_seconds: 0, failure_budget: 0, max_unavailable: 4, auto_advance: true },
];

describe("ring editor drafts", () => {
  it("round-trip the wire shape", () => {
    expect(ringsBodyFromDrafts(draftsFromRings(WIRE), "codex, hermes")).toEqual({
      rings: WIRE,
      templates: ["codex", "hermes"],
    });
    expect(ringsBodyFromDrafts(draftsFromRings(WIRE)).templates).toEqual([]);
  });

  it.each([
    ["region=eu, tier = gpu", { region: "eu", tier: "gpu" }],
    ["a=b=c", { a: "b=c" }],
    ["lonely", { lonely: "" }],
    [" , \n", {}],
  ])("parse labels %j", (text, expected) => {
    expect(parseLabels(text)).toEqual(expected);
  });

  it("split id lists on commas, spaces and lines", () => {
    expect(parseIdList("a, b\nc  d,,")).toEqual(["a", "b", "c", "d"]);
  });

  it("send the last ring without a selector and an empty selector for a ring with none set", () => {
    const body = ringsBodyFromDrafts([blankRingDraft("canary"), { ...blankRingDraft("fleet"), percent: "50" }]);
    expect(body.rings[0]!.selector).toEqual({});
    expect(body.rings[1]).not.toHaveProperty("selector");
  });

  it("send a probe only when it has a path, 200 when no status is given", () => {
    const body = ringsBodyFromDrafts([{ ...blankRingDraft("x"), probePath: " /ready " }, blankRingDraft("y")]);
    expect(body.rings[0]!.probe).toEqual({ path: "/ready", expected_status: 200 });
    expect(body.rings[1]).not.toHaveProperty("probe");
  });

  it("leave junk in number fields as text so the schema names the field", () => {
    const body = ringsBodyFromDrafts([
      { ...blankRingDraft("x"), bakeSeconds: "ten", percent: "" },
      blankRingDraft("y"),
    ]);
    expect(body.rings[0]!.bake_seconds).toBe("ten");
    expect(body.rings[0]!.selector).toEqual({});
  });

  it.each([
    [0, 1, ["b", "a", "c", "z"]],
    [1, -1, ["b", "a", "c", "z"]],
    [2, 1, ["a", "b", "c", "z"]], // nothing passes the last ring
    [3, -1, ["a", "b", "c", "z"]], // the last ring never moves
    [0, -1, ["a", "b", "c", "z"]],
  ] as const)("move ring %i by %i", (from, direction, expected) => {
    expect(moveRing(["a", "b", "c", "z"], from, direction)).toEqual(expected);
  });
});
