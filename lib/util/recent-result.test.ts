import { describe, expect, it } from "vitest";

import { recentResult } from "./recent-result";

function counted<T>(outcomes: Array<() => Promise<T>>) {
  let calls = 0;
  return {
    work: () => outcomes[Math.min(calls++, outcomes.length - 1)]!(),
    calls: () => calls,
  };
}

describe("recentResult", () => {
  it("shares a run in flight and for ttlMs after it settles, then runs again", async () => {
    let clock = 1_000;
    const work = counted([async () => "first", async () => "second"]);
    const recent = recentResult(work.work, 5_000, () => clock);
    const [a, b] = await Promise.all([recent(), recent()]);
    expect([a, b, work.calls()]).toEqual(["first", "first", 1]);

    clock += 4_999;
    expect([await recent(), work.calls()]).toEqual(["first", 1]);
    clock += 1;
    expect([await recent(), work.calls()]).toEqual(["second", 2]);
  });

  it("keeps no failure: the next call runs the work again", async () => {
    const work = counted([async () => Promise.reject(new Error("down")), async () => "up"]);
    const recent = recentResult(work.work, 5_000, () => 0);
    await expect(recent()).rejects.toThrow("down");
    expect([await recent(), work.calls()]).toEqual(["up", 2]);
  });

  it("a run started in flight is shared until it settles, however long it takes", async () => {
    let clock = 0;
    let finish: (value: string) => void = () => {};
    const work = counted([() => new Promise<string>((resolve) => (finish = resolve))]);
    const recent = recentResult(work.work, 10, () => clock);
    const first = recent();
    clock = 1_000;
    const second = recent();
    finish("late");
    expect([await first, await second, work.calls()]).toEqual(["late", "late", 1]);
  });
});
