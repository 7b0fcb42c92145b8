import "server-only";

import { LABEL_MANAGED } from "@/lib/provisioner/containers/naming";
import type { DockerEvent, DockerEventFilters } from "@/lib/provisioner/docker/event-types";
import type { DockerClient } from "@/lib/provisioner/docker/types";

/** Container events that can change a workspace's live state, of managed containers only. */
export const LIVE_STATE_EVENT_FILTERS: DockerEventFilters = {
  type: ["container"],
  label: [`${LABEL_MANAGED}=true`],
  event: ["start", "die", "stop", "destroy", "health_status", "kill", "oom", "restart", "pause", "unpause"],
};

export interface FollowHandlers {
  onEvent: (event: DockerEvent) => void;
  /** After every (re)connect: the caller reconciles, since events during the gap were missed. */
  onConnected: () => void;
  /** A connect attempt failed (engine unreachable or refusing); the follower retries after a backoff. */
  onConnectFailed: (error: unknown) => void;
  /** A stream that was up ended or broke; the follower reconnects after `initialMs`. */
  onDisconnected: (error: unknown) => void;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };

/**
 * Follows the engine's event stream until `signal` aborts, reconnecting forever: after a short
 * pause when a stream that was up ends, with a doubling delay (capped) while connecting fails.
 * Resolves once aborted; never rejects (failures go to the handlers).
 */
export async function followEvents(
  docker: DockerClient,
  signal: AbortSignal,
  handlers: FollowHandlers,
  backoff: Backoff = DEFAULT_BACKOFF,
): Promise<void> {
  let delay = 0;
  while (!signal.aborted) {
    if (delay > 0) await sleep(delay, signal);
    if (signal.aborted) return;
    let connected = false;
    try {
      await docker.streamEvents(LIVE_STATE_EVENT_FILTERS, handlers.onEvent, signal, () => {
        connected = true;
        handlers.onConnected();
      });
      if (signal.aborted) return;
      if (connected) handlers.onDisconnected(null);
      else handlers.onConnectFailed(new Error("the event stream ended before it started"));
    } catch (error) {
      if (signal.aborted) return;
      (connected ? handlers.onDisconnected : handlers.onConnectFailed)(error);
    }
    // After a stream that was up: one short pause (the reconcile after reconnecting covers the gap),
    // so a stream that keeps ending at once cannot spin. After a failed connect: doubling, capped.
    delay = connected ? backoff.initialMs : Math.min(Math.max(delay * 2, backoff.initialMs), backoff.maxMs);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
