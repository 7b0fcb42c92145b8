import "server-only";

import type { Db } from "@/lib/db/client";
import { pruneLoginThrottle } from "@/lib/db/login-throttle";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";

import { THROTTLE_RETENTION_MS } from "./login-throttle";

/** How often expired sign-in counters are removed. */
export const THROTTLE_PRUNE_INTERVAL_MS = 10 * 60_000;

let timer: NodeJS.Timeout | undefined;

/**
 * Removes expired sign-in throttle rows every `intervalMs`, so counters for
 * guessed emails and addresses do not pile up between successful sign-ins
 * (#13 item 9). One schedule per process: a second call replaces the first.
 * The timer does not keep the process alive; a failed run is logged and the
 * next one tries again.
 */
export function scheduleThrottlePruning(db: Db, intervalMs: number = THROTTLE_PRUNE_INTERVAL_MS): void {
  stopThrottlePruning();
  timer = setInterval(() => {
    pruneLoginThrottle(db, new Date(), THROTTLE_RETENTION_MS).catch((error: unknown) =>
      getLogger({ source: "signIn" }).error(
        { event: "throttle_pruning_failed", error: errorMessage(error) },
        "pruning sign-in counters failed",
      ),
    );
  }, intervalMs);
  timer.unref();
}

export function stopThrottlePruning(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}
