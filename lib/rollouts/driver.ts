import "server-only";

import type { Db } from "@/lib/db/client";
import { listActiveRolloutIds } from "@/lib/db/rollouts/read";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { startPeriodicPass } from "@/lib/provisioner/swap/repair-loop";

import type { RolloutDeps } from "./deps";
import { tickRollout } from "./engine";

/**
 * How often every active rollout is ticked. The timers themselves are timestamps in the database
 * (bake_until), so this only bounds how late a step can be; a restart loses nothing but one interval.
 */
export const ROLLOUT_TICK_MS = 2_000;

/** One pass: every running or paused rollout, oldest first; one rollout's failure never stops the others. */
export async function tickActiveRollouts(db: Db, deps: RolloutDeps = {}): Promise<number> {
  const ids = await listActiveRolloutIds(db);
  for (const id of ids) {
    try {
      await tickRollout(db, id, deps);
    } catch (error) {
      // A database hiccup mid-step: the step's transaction rolled back, the next pass tries again.
      getLogger({ source: "rollouts" }).error(
        { event: "rollout_tick_failed", rolloutId: id, error: errorMessage(error) },
        `rollout ${id}: tick failed: ${errorMessage(error)}`,
      );
    }
  }
  return ids.length;
}

/**
 * The durable driver: every `everyMs` (never two passes at once in this process; two processes
 * are safe, each step applies once), tick every active rollout. A process that starts resumes
 * whatever the database says is under way. Returns a stop function.
 */
export function startRolloutDriver(options: RolloutDeps & { db: () => Promise<Db>; everyMs?: number }): () => void {
  const { db, everyMs, ...deps } = options;
  return startPeriodicPass(everyMs ?? ROLLOUT_TICK_MS, async () => tickActiveRollouts(await db(), deps));
}
