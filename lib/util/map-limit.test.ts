import { describe, expect, it } from "vitest";

import { mapLimit } from "./map-limit";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("mapLimit", () => {
  it("returns results in input order with at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it("handles no items", async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  it("starts nothing new after a failure and rejects with the first one once the running calls end", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error("first");
      await tick();
      if (n === 2) throw new Error("second");
      finished.push(n);
    });
    await expect(run).rejects.toThrow("first");
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([]);
  });

  it("rejects even when the failure is undefined", async () => {
    await expect(mapLimit([1], 1, () => Promise.reject(undefined))).rejects.toBeUndefined();
  });
});
