import { describe, expect, it } from "vitest";

import { DEFAULT_RINGS } from "@/lib/domain/rings";

import { fromRingConfig, ringsInputSchema, toRingConfig } from "./rings";

const ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const wire = (over: Record<string, unknown> = {}) => ({
  name: "canary",
  bake_seconds: 600,
  failure_budget: 0,
  max_unavailable: 1,
  auto_advance: true,
  selector: { percent: 5 },
  ...over,
});
const last = wire({ name: "fleet", selector: undefined });

describe("ringsInputSchema", () => {
  it("accepts a list and maps it both ways", () => {
    const body = {
      rings: [
        wire({ selector: { workspace_ids: [ID.toUpperCase()], labels: { "molecule.ring": "canary" }, percent: 5 } }),
        { ...last, probe: { path: "/health", expected_status: 200 } },
      ],
    };
    const parsed = ringsInputSchema.parse(body);
    const rings = parsed.rings.map(toRingConfig);
    expect(rings[0]).toEqual({
      name: "canary",
      bakeSeconds: 600,
      failureBudget: 0,
      maxUnavailable: 1,
      autoAdvance: true,
      selector: { workspaceIds: [ID], labels: { "molecule.ring": "canary" }, percent: 5 },
    });
    expect(rings[1]!.selector).toBeNull();
    expect(rings[1]!.probe).toEqual({ path: "/health", expectedStatus: 200 });
    expect(ringsInputSchema.parse({ rings: rings.map(fromRingConfig) }).rings.map(toRingConfig)).toEqual(rings);
  });

  it("takes the templates the rings apply to", () => {
    expect(ringsInputSchema.parse({ rings: [last], templates: ["codex"] }).templates).toEqual(["codex"]);
    expect(ringsInputSchema.safeParse({ rings: [last], templates: [""] }).success).toBe(false);
  });

  it("round-trips the defaults", () => {
    expect(DEFAULT_RINGS.map(fromRingConfig).map(toRingConfig)).toEqual(DEFAULT_RINGS);
  });

  it.each<[string, unknown, RegExp]>([
    ["no rings", { rings: [] }, /.+/],
    ["duplicate names", { rings: [wire(), wire({ selector: null })] }, /unique/],
    ["selector on the last ring", { rings: [wire(), wire({ name: "fleet" })] }, /holds the rest/],
    ["no selector on a middle ring", { rings: [wire({ selector: null }), last] }, /Only the last ring/],
    ["percent 0", { rings: [wire({ selector: { percent: 0 } }), last] }, /above 0/],
    ["percent 150", { rings: [wire({ selector: { percent: 150 } }), last] }, /at most 100/],
    ["bake too long", { rings: [wire({ bake_seconds: 90_000 }), last] }, /.+/],
    ["a bad workspace id", { rings: [wire({ selector: { workspace_ids: ["nope"] } }), last] }, /UUID/],
    [
      "a probe path without /",
      { rings: [wire({ probe: { path: "health", expected_status: 200 } }), last] },
      /starts with/,
    ],
    ["an unknown field", { rings: [wire({ bake: 3 }), last] }, /.+/],
    ["a control character in a label", { rings: [wire({ selector: { labels: { a: "x\u0000" } } }), last] }, /control/],
  ])("refuses %s", (_name, body, message) => {
    const result = ringsInputSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join(" ")).toMatch(message);
  });
});
