import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";

import { runRetentionCheck } from "./retention-check";
import { watchIntervalSeconds } from "./watch-config";
import { runWatchTick } from "./watcher";

/**
 * The tag watcher and retention check of a server process: one run soon after start, then one
 * every FLEETPIN_WATCH_INTERVAL seconds (0 = off), never two at once in this process. Processes
 * sharing a database split the work through per-template claims (claimTemplateJob). Returns a stop
 * function whose promise settles once a run in flight has finished.
 */
export function startWatchLoop(deps: { db: () => Promise<Db>; env?: Env }): () => Promise<void> {
  const env = deps.env;
  const everyMs = watchIntervalSeconds(env) * 1000;
  if (everyMs === 0) return async () => undefined;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const db = await deps.db();
        for (const result of await runWatchTick({ db, env })) {
          if (result.newDigests.length > 0)
            getLogger({ source: "digestLedger" }).info(
              { event: "new_digests", templateName: result.templateName, digests: result.newDigests },
              "new_digests",
            );
        }
        await runRetentionCheck({ db, env });
      } catch (error) {
        getLogger({ source: "digestLedger" }).warn(
          { event: "watch_tick_failed", error: errorMessage(error) },
          "watch_tick_failed",
        );
      } finally {
        running = null;
      }
    })();
  };
  const first = setTimeout(tick, Math.min(everyMs, 5_000));
  const timer = setInterval(tick, everyMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
