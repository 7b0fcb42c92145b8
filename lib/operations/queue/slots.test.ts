import { describe, expect, it } from "vitest";

import { ConfigError } from "@/lib/config";

import { assignSlots, hostConcurrency, operationOffset, processConcurrency } from "./slots";

describe("hostConcurrency", () => {
  it.each([
    [undefined, 4],
    ["", 4],
    ["3", 3],
    [" 7 ", 7],
    ["64", 64],
  ])("%s → %i", (value, expected) => {
    expect(hostConcurrency({ FLEETPIN_HOST_CONCURRENCY: value })).toBe(expected);
  });

  // The config module's rule: a wrong value is an error naming the variable, never a silent default.
  it.each(["0", "-2", "2.5", "abc", "1000"])("%s is refused", (value) => {
    expect(() => hostConcurrency({ FLEETPIN_HOST_CONCURRENCY: value })).toThrow(ConfigError);
    expect(() => hostConcurrency({ FLEETPIN_HOST_CONCURRENCY: value })).toThrow(/FLEETPIN_HOST_CONCURRENCY/);
  });
});

describe("assignSlots", () => {
  const items = (hosts: string[]) => hosts.map((host) => ({ host }));
  const fixed = (limits: Record<string, number>, offset = 0) => ({
    hostLimit: (host: string) => limits[host] ?? 4,
    offset: () => offset,
  });

  it.each<{
    name: string;
    hosts: string[];
    concurrency: number;
    limits: Record<string, number>;
    offset: number;
    expected: string[];
  }>([
    {
      name: "operation narrower than the host",
      hosts: ["a", "a", "a", "a", "a"],
      concurrency: 2,
      limits: { a: 4 },
      offset: 0,
      expected: ["a:0", "a:1", "a:0", "a:1", "a:0"],
    },
    {
      name: "host narrower than the operation",
      hosts: ["a", "a", "a", "a"],
      concurrency: 8,
      limits: { a: 3 },
      offset: 0,
      expected: ["a:0", "a:1", "a:2", "a:0"],
    },
    {
      name: "offset wraps inside the host's slots",
      hosts: ["a", "a", "a"],
      concurrency: 2,
      limits: { a: 4 },
      offset: 3,
      expected: ["a:3", "a:0", "a:3"],
    },
    {
      name: "each host counts its own items",
      hosts: ["a", "b", "a", "b", "b"],
      concurrency: 4,
      limits: { a: 1, b: 2 },
      offset: 0,
      expected: ["a:0", "b:0", "a:0", "b:1", "b:0"],
    },
    {
      name: "concurrency 0 still runs, one at a time",
      hosts: ["a", "a"],
      concurrency: 0,
      limits: { a: 4 },
      offset: 0,
      expected: ["a:0", "a:0"],
    },
    { name: "no items", hosts: [], concurrency: 4, limits: {}, offset: 0, expected: [] },
  ])("$name", ({ hosts, concurrency, limits, offset, expected }) => {
    expect(assignSlots(items(hosts), { concurrency, ...fixed(limits, offset) })).toEqual(expected);
  });

  it("never uses more distinct slots per host than min(concurrency, host limit)", () => {
    for (let concurrency = 1; concurrency <= 6; concurrency++) {
      for (let limit = 1; limit <= 6; limit++) {
        for (let offset = 0; offset < limit; offset++) {
          const keys = assignSlots(items(Array(20).fill("h")), {
            concurrency,
            hostLimit: () => limit,
            offset: () => offset,
          });
          expect(new Set(keys).size).toBe(Math.min(concurrency, limit));
          for (const key of keys) expect(Number(key.split(":")[1])).toBeLessThan(limit);
        }
      }
    }
  });
});

describe("operationOffset", () => {
  it("is stable and inside the host's slots", () => {
    const id = "0b6c1f7e-8a43-4b8e-9f00-5c2d1e3a4b5c";
    expect(operationOffset(id, 4)).toBe(operationOffset(id, 4));
    for (let limit = 1; limit < 10; limit++) expect(operationOffset(id, limit)).toBeLessThan(limit);
  });
});

describe("processConcurrency", () => {
  it.each([
    { fixed: null, hostLimit: 4, hosts: 3, expected: 12 },
    { fixed: null, hostLimit: 4, hosts: 1, expected: 4 },
    { fixed: null, hostLimit: 4, hosts: 0, expected: 4 },
    { fixed: null, hostLimit: 64, hosts: 20, expected: 256 },
    { fixed: 6, hostLimit: 4, hosts: 3, expected: 6 },
    { fixed: 1, hostLimit: 8, hosts: 10, expected: 1 },
  ])("fixed $fixed, host limit $hostLimit, $hosts hosts → $expected", ({ expected, ...options }) => {
    expect(processConcurrency(options)).toBe(expected);
  });
});
