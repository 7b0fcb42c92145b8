/** Settings of the work on workspaces: reprovisioning, its health gate, the repair pass and live state. */
import { flag, seconds, text, wholeNumber } from "./fields";
import { defineSlice } from "./slice";

/** Network of a workspace's first container when FLEETPIN_CONTAINER_NETWORK is unset. */
export const DEFAULT_CONTAINER_NETWORK = "bridge";
/** Items an operation runs at once when neither the request nor the env says otherwise. */
export const DEFAULT_CONCURRENCY = 4;
/** The most items one operation may run at once. */
export const MAX_CONCURRENCY = 32;
export const DEFAULT_STOP_TIMEOUT_SECONDS = 10;
/** How long a silent lock holder is trusted by default (lib/db/workspace-state.ts STALE_LOCK_MS). */
export const DEFAULT_LOCK_STALE_SECONDS = 120;

export interface ReprovisionConfig {
  /** Network of a workspace's FIRST container only; a replacement keeps the old container's networks. */
  containerNetwork: string;
  /** Seconds the old container gets to stop (SIGTERM, then SIGKILL). */
  stopTimeoutSeconds: number;
  /** A lock whose heartbeat went quiet this long is taken over. */
  lockStaleMs: number;
  /** Default parallelism of bulk reprovisioning (1 to MAX_CONCURRENCY). */
  bulkConcurrency: number;
}

export const reprovision = defineSlice(
  {
    FLEETPIN_CONTAINER_NETWORK: text(DEFAULT_CONTAINER_NETWORK),
    FLEETPIN_STOP_TIMEOUT_SECONDS: seconds("FLEETPIN_STOP_TIMEOUT_SECONDS", {
      fallback: DEFAULT_STOP_TIMEOUT_SECONDS,
      min: 0,
      whole: true,
    }),
    FLEETPIN_LOCK_STALE_SECONDS: seconds("FLEETPIN_LOCK_STALE_SECONDS", {
      fallback: DEFAULT_LOCK_STALE_SECONDS,
      min: 0,
      exclusive: true,
    }),
    FLEETPIN_BULK_CONCURRENCY: wholeNumber("FLEETPIN_BULK_CONCURRENCY", DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
  },
  (values): ReprovisionConfig => ({
    containerNetwork: values.FLEETPIN_CONTAINER_NETWORK,
    stopTimeoutSeconds: values.FLEETPIN_STOP_TIMEOUT_SECONDS,
    lockStaleMs: values.FLEETPIN_LOCK_STALE_SECONDS * 1000,
    bulkConcurrency: values.FLEETPIN_BULK_CONCURRENCY,
  }),
);

export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 120;
export const DEFAULT_HEALTH_SETTLE_SECONDS = 5;

/** How long the health gate waits. */
export interface HealthGateConfig {
  /** Seconds to wait for `healthy` when the container has a healthcheck; 0 skips that wait. */
  timeoutSeconds: number;
  /** Seconds a container without a healthcheck must stay running without a restart; 0 turns the wait off. */
  settleSeconds: number;
}

export const healthGate = defineSlice(
  {
    FLEETPIN_HEALTH_TIMEOUT_SECONDS: seconds("FLEETPIN_HEALTH_TIMEOUT_SECONDS", {
      fallback: DEFAULT_HEALTH_TIMEOUT_SECONDS,
      min: 0,
    }),
    FLEETPIN_HEALTH_SETTLE_SECONDS: seconds("FLEETPIN_HEALTH_SETTLE_SECONDS", {
      fallback: DEFAULT_HEALTH_SETTLE_SECONDS,
      min: 0,
    }),
  },
  (values): HealthGateConfig => ({
    timeoutSeconds: values.FLEETPIN_HEALTH_TIMEOUT_SECONDS,
    settleSeconds: values.FLEETPIN_HEALTH_SETTLE_SECONDS,
  }),
);

export const DEFAULT_REPAIR_INTERVAL_SECONDS = 30;

export interface RepairConfig {
  /** Period of the repair pass; 0 leaves only the pass at start-up. */
  intervalMs: number;
  /** Whether the pass starts containers that stopped although their workspace should run. */
  startStopped: boolean;
}

export const repair = defineSlice(
  {
    FLEETPIN_REPAIR_INTERVAL_SECONDS: seconds("FLEETPIN_REPAIR_INTERVAL_SECONDS", {
      fallback: DEFAULT_REPAIR_INTERVAL_SECONDS,
      min: 0,
    }),
    FLEETPIN_REPAIR_START_STOPPED: flag("FLEETPIN_REPAIR_START_STOPPED", true),
  },
  (values): RepairConfig => ({
    intervalMs: values.FLEETPIN_REPAIR_INTERVAL_SECONDS * 1000,
    startStopped: values.FLEETPIN_REPAIR_START_STOPPED,
  }),
);

export const DEFAULT_RECONCILE_INTERVAL_SECONDS = 60;
const MIN_RECONCILE_INTERVAL_SECONDS = 5;

export interface LiveStateConfig {
  /** FLEETPIN_LIVE_STATE=0 turns it off (tests, or a second dashboard process). */
  enabled: boolean;
  /** Period of the full reconcile with Docker. */
  reconcileIntervalMs: number;
}

export const liveState = defineSlice(
  {
    FLEETPIN_LIVE_STATE: flag("FLEETPIN_LIVE_STATE", true),
    FLEETPIN_RECONCILE_INTERVAL_SECONDS: seconds("FLEETPIN_RECONCILE_INTERVAL_SECONDS", {
      fallback: DEFAULT_RECONCILE_INTERVAL_SECONDS,
      min: MIN_RECONCILE_INTERVAL_SECONDS,
      whole: true,
    }),
  },
  (values): LiveStateConfig => ({
    enabled: values.FLEETPIN_LIVE_STATE,
    reconcileIntervalMs: values.FLEETPIN_RECONCILE_INTERVAL_SECONDS * 1000,
  }),
);
