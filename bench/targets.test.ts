import { describe, expect, it } from "vitest";

import { pageTarget, queryTarget } from "./targets";

describe("queryTarget", () => {
  it.each([
    ["stale_count_ms", "postgres", 1_000_000, 25],
    ["stale_count_ms", "postgres", 100_000, 50],
    ["stale_count_ms", "postgres", 10_000, undefined],
    ["stale_count_ms", "pglite", 100_000, 50],
    ["stale_count_ms", "pglite", 10_000, undefined],
    ["stale_page_ms", "postgres", 1_000_000, 50],
    ["stale_page_ms", "postgres", 100_000, 50],
    ["stale_page_ms", "pglite", 100_000, undefined],
    ["workspaces_page_ms", "postgres", 1_000_000, 50],
    ["workspaces_page_ms", "postgres", 100_000, undefined],
    ["seed_ms", "postgres", 1_000_000, undefined],
  ] as const)("%s on %s at %i rows: under %s ms", (name, backend, rows, limit) => {
    expect(queryTarget(name, backend, rows)).toEqual(
      limit === undefined ? undefined : { key: "median", op: "<", limit },
    );
  });
});

describe("pageTarget", () => {
  it("asks /stale under 150 ms at a million workspaces, nothing else", () => {
    expect(pageTarget("/stale", 1_000_000)).toEqual({ key: "median", op: "<", limit: 150 });
    expect(pageTarget("/stale", 100_000)).toBeUndefined();
    expect(pageTarget("/workspaces", 1_000_000)).toBeUndefined();
  });
});
