import { describe, expect, it } from "vitest";

import { reprovisionStaleSchema, reprovisionWorkspaceSchema, workspaceFilterSchema } from "./workspace";

describe("workspaceFilterSchema", () => {
  it("keeps valid filters", () => {
    expect(
      workspaceFilterSchema.parse({
        template: "codex",
        status: "online",
        staleness: "stale",
        q: " ws-1 ",
        limit: "100",
      }),
    ).toEqual({
      template: "codex",
      status: "online",
      staleness: "stale",
      q: "ws-1",
      limit: 100,
    });
  });

  it("drops invalid or repeated values instead of throwing, so a hand-edited URL still renders", () => {
    const parsed = workspaceFilterSchema.parse({
      status: "exploded",
      staleness: "fresh",
      limit: "5",
      direction: "sideways",
      template: ["a", "b"],
      q: "",
    });
    expect(parsed).toEqual({
      status: undefined,
      staleness: undefined,
      limit: undefined,
      direction: undefined,
      template: undefined,
      q: undefined,
    });
  });
});

describe("reprovisionWorkspaceSchema", () => {
  it("needs a UUID and makes a blank reason undefined", () => {
    expect(reprovisionWorkspaceSchema.safeParse({ workspaceId: "not-a-uuid" }).success).toBe(false);
    const id = "3f1c1b8e-2a4d-4e6f-9b1a-0c2d3e4f5a6b";
    expect(reprovisionWorkspaceSchema.parse({ workspaceId: id, reason: "  " })).toEqual({
      workspaceId: id,
      reason: undefined,
    });
  });
});

describe("reprovisionStaleSchema", () => {
  it("reads a blank template as all templates", () => {
    expect(reprovisionStaleSchema.parse({ template: "" })).toEqual({ template: undefined, reason: undefined });
    expect(reprovisionStaleSchema.parse({ template: "codex", reason: "roll out" })).toEqual({
      template: "codex",
      reason: "roll out",
    });
  });
});
