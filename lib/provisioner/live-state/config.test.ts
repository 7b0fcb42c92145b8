import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";
import { liveStateConfig } from "./config";

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
});
