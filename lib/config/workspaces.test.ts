import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";

import { healthGateConfig, liveStateConfig, repairConfig, reprovisionConfig } from "./index";

// Per-area readers over a plain env (moved here from lib/provisioner/live-state/config.test.ts).
describe("liveStateConfig", () => {
  it.each([
    [{}, { enabled: true, reconcileIntervalMs: 60_000 }],
    [{ FLEETPIN_LIVE_STATE: "0" }, { enabled: false, reconcileIntervalMs: 60_000 }],
    [{ FLEETPIN_LIVE_STATE: " 0 " }, { enabled: false, reconcileIntervalMs: 60_000 }],
    [{ FLEETPIN_LIVE_STATE: "1" }, { enabled: true, reconcileIntervalMs: 60_000 }],
    [{ FLEETPIN_RECONCILE_INTERVAL_SECONDS: "" }, { enabled: true, reconcileIntervalMs: 60_000 }],
    [{ FLEETPIN_RECONCILE_INTERVAL_SECONDS: "5" }, { enabled: true, reconcileIntervalMs: 5_000 }],
    [{ FLEETPIN_RECONCILE_INTERVAL_SECONDS: " 300 " }, { enabled: true, reconcileIntervalMs: 300_000 }],
  ])("%j → %j", (env, expected) => {
    expect(liveStateConfig(env)).toEqual(expected);
  });

  it.each(["4", "0", "-1", "1.5", "ten", "1e3"])("refuses interval %s", (value) => {
    expect(() => liveStateConfig({ FLEETPIN_RECONCILE_INTERVAL_SECONDS: value })).toThrow(ValidationError);
    expect(() => liveStateConfig({ FLEETPIN_RECONCILE_INTERVAL_SECONDS: value })).toThrow(`got "${value}"`);
  });

  it("reads only its own variables: another area's wrong value is not its concern", () => {
    expect(liveStateConfig({ PORT: "http" }).enabled).toBe(true);
  });
});

describe("healthGateConfig", () => {
  it.each([
    [{}, { timeoutSeconds: 120, settleSeconds: 5 }],
    [
      { FLEETPIN_HEALTH_TIMEOUT_SECONDS: "0", FLEETPIN_HEALTH_SETTLE_SECONDS: "0" },
      { timeoutSeconds: 0, settleSeconds: 0 },
    ],
    [
      { FLEETPIN_HEALTH_TIMEOUT_SECONDS: " 30 ", FLEETPIN_HEALTH_SETTLE_SECONDS: "0.5" },
      { timeoutSeconds: 30, settleSeconds: 0.5 },
    ],
  ])("%j → %j", (env, expected) => {
    expect(healthGateConfig(env)).toEqual(expected);
  });
});

describe("repairConfig", () => {
  it.each([
    [{}, { intervalMs: 30_000, startStopped: true }],
    [
      { FLEETPIN_REPAIR_INTERVAL_SECONDS: "0", FLEETPIN_REPAIR_START_STOPPED: "0" },
      { intervalMs: 0, startStopped: false },
    ],
    [{ FLEETPIN_REPAIR_INTERVAL_SECONDS: "2" }, { intervalMs: 2_000, startStopped: true }],
  ])("%j → %j", (env, expected) => {
    expect(repairConfig(env)).toEqual(expected);
  });
});

describe("reprovisionConfig", () => {
  it.each([
    [{}, { containerNetwork: "bridge", stopTimeoutSeconds: 10, lockStaleMs: 120_000, bulkConcurrency: 4 }],
    [
      {
        FLEETPIN_CONTAINER_NETWORK: "none",
        FLEETPIN_STOP_TIMEOUT_SECONDS: "0",
        FLEETPIN_LOCK_STALE_SECONDS: "1",
        FLEETPIN_BULK_CONCURRENCY: "32",
      },
      { containerNetwork: "none", stopTimeoutSeconds: 0, lockStaleMs: 1_000, bulkConcurrency: 32 },
    ],
  ])("%j → %j", (env, expected) => {
    expect(reprovisionConfig(env)).toEqual(expected);
  });
});
