import { describe, expect, it } from "vitest";

import { singleFlight } from "./single-flight";

describe("singleFlight", () => {
  it("runs one at a time and folds requests made during a run into one more run", async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let release: () => void = () => undefined;
    const flight = singleFlight(async () => {
      runs++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
      concurrent--;
    });
    const first = flight.request();
    void flight.request();
    void flight.request();
    void flight.request();
    release();
    await first;
    await flight.idle();
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
    await flight.request();
    expect(runs).toBe(3);
  });
});
