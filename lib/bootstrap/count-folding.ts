import "server-only";

import type { Db } from "@/lib/db/client";
import { foldWorkspaceCountsIfNeeded } from "@/lib/db/workspace-counts";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";

/** How often the dashboard process looks at the workspace count deltas. */
export const COUNT_FOLD_INTERVAL_MS = 60_000;

let timer: NodeJS.Timeout | undefined;

/**
 * Folds the workspace count deltas (lib/db/workspace-counts.ts) every `intervalMs` when they have
 * piled up: every process that changes workspaces adds deltas (workers too), and a Stale fleet page
 * nobody opens would otherwise never fold them. One schedule per process; the timer does not keep
 * the process alive; a failed run is logged and the next one tries again.
 */
export function scheduleCountFolding(db: Db, intervalMs: number = COUNT_FOLD_INTERVAL_MS): void {
  stopCountFolding();
  timer = setInterval(() => {
    foldWorkspaceCountsIfNeeded(db).catch((error: unknown) =>
      getLogger({ source: "startup" }).error(
        { event: "count_folding_failed", error: errorMessage(error) },
        `folding the workspace counts failed: ${errorMessage(error)}`,
      ),
    );
  }, intervalMs);
  timer.unref();
}

export function stopCountFolding(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}
