import "server-only";

import type { Db } from "@/lib/db/client";
import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { reportServiceStatus, serviceName } from "@/lib/log/service-health";
import type { DockerEvent } from "@/lib/provisioner/docker/event-types";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { syncFromDocker } from "@/lib/provisioner/sync/sync";
import type { SyncDeps, SyncResult } from "@/lib/provisioner/sync/types";

import { applyContainerEvent } from "./apply-event";
import { markEngineUnknown } from "./engine-unknown";
import { DEFAULT_BACKOFF, followEvents, type Backoff } from "./event-follower";
import { singleFlight } from "./single-flight";

/** Actor of the rows and audit entries live state writes. */
export const LIVE_STATE_ACTOR = "system:live-state";

export interface LiveStateDeps {
  db: Db;
  docker: DockerClient;
  reconcileIntervalMs: number;
  backoff?: Backoff;
  staleLockMs?: number;
  /** syncFromDocker unless a test wraps it (to count runs). */
  sync?: (deps: SyncDeps) => Promise<SyncResult>;
  log?: (level: "info" | "warn" | "error", message: string) => void;
  /** The registered host `docker` is: reconciles and "unknown" marks then touch only its workspaces. */
  host?: string;
  /** Called once each time the engine answers again after being unreachable (the repair pass hooks in here). */
  onEngineBack?: () => void;
}

export interface LiveState {
  /** Asks for a full reconcile; resolves when one that started after the call has finished. */
  reconcileNow(): Promise<void>;
  /** Stops following events and the timer, and waits for the work in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps `workspaces` in line with the engine while the process runs: follows its container
 * events (each updates the row recording that container; a container no row records, and each
 * (re)connect, trigger a full reconcile, bursts folded into one), reconciles every
 * `reconcileIntervalMs` in case an event was missed, and marks the engine's workspaces
 * `unknown` while it cannot be reached. A reconcile is syncFromDocker: writes only what changed,
 * audits only when it wrote, and leaves rows locked by a running reprovision alone.
 */
export function startLiveState(deps: LiveStateDeps): LiveState {
  const { db, docker } = deps;
  const log = deps.log ?? defaultLog;
  const controller = new AbortController();
  let unreachableSince: Date | null = null;
  // Database writes one after the other, so an "unknown" from a failed connect never lands after the reconcile that followed it.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (work: () => Promise<void>): Promise<void> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  // Call inside `serial` only.
  const markUnknown = async (error: unknown) => {
    if (controller.signal.aborted) return;
    // Once per outage, shared with the page probes and the repair loop (lib/log/service-health.ts).
    reportServiceStatus(serviceName.docker(docker.endpoint), {
      ok: false,
      reason: `${errorMessage(error)}; its workspaces are unknown until it is back`,
    });
    unreachableSince ??= new Date();
    try {
      await markEngineUnknown(db, {
        actor: LIVE_STATE_ACTOR,
        endpoint: docker.endpoint,
        reason: errorMessage(error),
        staleLockMs: deps.staleLockMs,
        host: deps.host,
      });
    } catch (dbError) {
      log("error", `could not mark the workspaces of ${docker.endpoint} unknown: ${errorMessage(dbError)}`);
    }
  };

  const reconcile = singleFlight(() =>
    serial(async () => {
      if (controller.signal.aborted) return;
      try {
        const result = await (deps.sync ?? syncFromDocker)({
          db,
          docker,
          actor: LIVE_STATE_ACTOR,
          audit: "changes",
          staleLockMs: deps.staleLockMs,
          host: deps.host,
        });
        reportServiceStatus(serviceName.docker(deps.host ?? docker.endpoint), { ok: true });
        if (unreachableSince) deps.onEngineBack?.();
        unreachableSince = null;
        if (result.errors.length > 0)
          log(
            "warn",
            `reconcile: ${result.errors.length} container(s) could not be read: ${result.errors.map((e) => e.message).join("; ")}`,
          );
      } catch (error) {
        if (error instanceof DockerUnavailableError) await markUnknown(error);
        else log("error", `reconcile failed: ${errorMessage(error)}`);
      }
    }),
  );

  // One event: the row recording that container is updated directly; anything else asks for a full reconcile.
  const onEvent = (event: DockerEvent) =>
    void serial(async () => {
      if (controller.signal.aborted) return;
      try {
        const outcome = await applyContainerEvent(db, docker, event, {
          actor: LIVE_STATE_ACTOR,
          staleLockMs: deps.staleLockMs,
        });
        if (outcome === "needs-reconcile") void reconcile.request();
      } catch (error) {
        if (error instanceof DockerUnavailableError) await markUnknown(error);
        else {
          log(
            "error",
            `event ${event.action} of container ${event.id.slice(0, 12)}: ${errorMessage(error)}; reconciling`,
          );
          void reconcile.request();
        }
      }
    });

  const eventStream = `the Docker event stream of ${docker.endpoint}`;
  const following = followEvents(
    docker,
    controller.signal,
    {
      onEvent,
      onConnected: () => {
        reportServiceStatus(eventStream, { ok: true });
        void reconcile.request();
      },
      onConnectFailed: (error) => {
        if (error instanceof DockerUnavailableError) void serial(() => markUnknown(error));
        // An engine that answers but refuses the stream: once per outage too, not at every retry.
        else reportServiceStatus(eventStream, { ok: false, reason: `${errorMessage(error)} (retrying)` });
      },
      onDisconnected: (error) =>
        log(
          "warn",
          `Docker event stream from ${docker.endpoint} ended${error ? ` (${errorMessage(error)})` : ""}; reconnecting`,
        ),
    },
    deps.backoff ?? DEFAULT_BACKOFF,
  );
  const timer = setInterval(() => void reconcile.request(), deps.reconcileIntervalMs);
  timer.unref?.();

  return {
    reconcileNow: () => reconcile.request(),
    async stop() {
      controller.abort();
      clearInterval(timer);
      await following;
      await reconcile.idle();
      await chain;
    },
  };
}

function defaultLog(level: "info" | "warn" | "error", message: string): void {
  getLogger({ source: "liveState" })[level](message);
}
