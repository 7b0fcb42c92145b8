import "server-only";

import { type Env, liveStateConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { getLogger } from "@/lib/log/logger";

import { startHostsLiveState } from "./hosts-live-state";
import type { LiveState } from "./live-state";

type GlobalWithLiveState = typeof globalThis & { __fleetpinLiveState?: LiveState };

/**
 * Starts live state once per server process (dev reloads re-run start-up code; the handle lives
 * on globalThis so a second call is a no-op) unless FLEETPIN_LIVE_STATE=0. Stops it on SIGTERM /
 * SIGINT, then lets the signal do what it would have done. Returns the handle, or null when off.
 */
/** `env`: an environment of the caller's own (tests); the process-wide config otherwise. */
export function startProcessLiveState(db: Db, env?: Env): LiveState | null {
  const config = liveStateConfig(env);
  if (!config.enabled) return null;
  const store = globalThis as GlobalWithLiveState;
  if (store.__fleetpinLiveState) return store.__fleetpinLiveState;
  // One follower per Docker host; swaps a dead engine cut short are finished or undone as soon as
  // it answers (each host's repair pass runs when that host is back), not at the next timer tick.
  const liveState = startHostsLiveState({
    db,
    ...(env ? { env } : {}),
    reconcileIntervalMs: config.reconcileIntervalMs,
  });
  store.__fleetpinLiveState = liveState;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void stopProcessLiveState().finally(() => {
        // Nobody else (e.g. Next's own handler) took the signal: end the process as it would have ended.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
  getLogger({ source: "liveState" }).info(
    { event: "live_state_started", reconcileIntervalMs: config.reconcileIntervalMs },
    `live state: following every Docker host, full reconcile every ${config.reconcileIntervalMs / 1000} s`,
  );
  return liveState;
}

/** Stops the process's live state, if running. */
export async function stopProcessLiveState(): Promise<void> {
  const store = globalThis as GlobalWithLiveState;
  const liveState = store.__fleetpinLiveState;
  store.__fleetpinLiveState = undefined;
  await liveState?.stop();
}
