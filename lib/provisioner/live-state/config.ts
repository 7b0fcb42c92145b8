/**
 * Live-state settings from the environment (no I/O):
 *   FLEETPIN_LIVE_STATE=0                    turns it off (tests, or a second dashboard process);
 *   FLEETPIN_RECONCILE_INTERVAL_SECONDS=60   full reconcile period; whole seconds ≥ 5.
 */
import { ValidationError } from "@/lib/domain/errors";
import type { EnvSource } from "@/lib/domain/runtimes";

export const DEFAULT_RECONCILE_INTERVAL_SECONDS = 60;
const MIN_RECONCILE_INTERVAL_SECONDS = 5;

export interface LiveStateConfig {
  enabled: boolean;
  reconcileIntervalMs: number;
}

/** Reads the settings; a malformed interval is a ValidationError naming the variable (never a silent default). */
export function liveStateConfig(env: EnvSource): LiveStateConfig {
  const enabled = (env.FLEETPIN_LIVE_STATE ?? "").trim() !== "0";
  const raw = (env.FLEETPIN_RECONCILE_INTERVAL_SECONDS ?? "").trim();
  if (raw === "") return { enabled, reconcileIntervalMs: DEFAULT_RECONCILE_INTERVAL_SECONDS * 1000 };
  const seconds = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < MIN_RECONCILE_INTERVAL_SECONDS) {
    throw new ValidationError(`FLEETPIN_RECONCILE_INTERVAL_SECONDS must be a whole number of seconds ≥ ${MIN_RECONCILE_INTERVAL_SECONDS}, got "${raw}"`);
  }
  return { enabled, reconcileIntervalMs: seconds * 1000 };
}
