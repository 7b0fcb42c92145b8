import { afterEach, describe, expect, it, vi } from "vitest";

import { requireValidConfig } from "./require-valid-config";

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

describe("requireValidConfig", () => {
  afterEach(() => vi.unstubAllEnvs());

  const exit = (code: number): never => {
    throw new Exit(code);
  };

  it("stops the process with a message naming each wrong variable", () => {
    vi.stubEnv("FLEETPIN_LIVE_STATE", "false");
    vi.stubEnv("FLEETPIN_RECONCILE_INTERVAL_SECONDS", "2");
    const reports: string[] = [];
    expect(() => requireValidConfig(exit, (message) => reports.push(message))).toThrow(new Exit(1));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('FLEETPIN_LIVE_STATE must be 0 or 1, got "false"');
    expect(reports[0]).toContain('FLEETPIN_RECONCILE_INTERVAL_SECONDS must be a whole number of seconds ≥ 5, got "2"');
  });

  it("lets a valid configuration through", () => {
    vi.stubEnv("FLEETPIN_LIVE_STATE", "0");
    const reports: string[] = [];
    requireValidConfig(exit, (message) => reports.push(message));
    expect(reports).toEqual([]);
  });
});
