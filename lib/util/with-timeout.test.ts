import { describe, expect, it } from "vitest";

import { ProbeTimeoutError, withTimeout } from "./with-timeout";

describe("withTimeout", () => {
  it("passes through a value that arrives in time", async () => {
    await expect(withTimeout(Promise.resolve(42), 100, "x")).resolves.toBe(42);
  });

  it("passes through a rejection that arrives in time", async () => {
    await expect(withTimeout(Promise.reject(new Error("boom")), 100, "x")).rejects.toThrow("boom");
  });

  it("says seconds for longer budgets", () => {
    expect(new ProbeTimeoutError("The registry", 3_000).message).toBe("The registry did not answer within 3.0 s");
  });

  it("rejects with a message naming what hung and for how long", async () => {
    const never = new Promise<never>(() => undefined);
    const error = await withTimeout(never, 20, "Docker at unix:///x.sock").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProbeTimeoutError);
    expect((error as Error).message).toBe("Docker at unix:///x.sock did not answer within 20 ms");
  });
});
