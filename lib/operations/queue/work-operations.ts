import "server-only";

import { workersConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { listHosts } from "@/lib/hosts/hosts";
import { jobLog } from "@/lib/jobs/job-log";
import { currentRunner, jobState, stillClaimed, workJobs, type WorkJobsOptions } from "@/lib/jobs/runner";
import { runOperation, type RunOperationDeps } from "@/lib/operations/run-operation";

import { runItemJob, type ItemJobData } from "./item-job";
import { hostConcurrency, processConcurrency } from "./slots";

/** How often a process with no fixed FLEETPIN_WORKER_CONCURRENCY looks for newly registered hosts. */
const GROW_INTERVAL_MS = 30_000;

/**
 * Works the operation queues in this process (the dashboard, or `npm run worker`). Up to
 * processConcurrency items at once here (by default every slot of every registered host, grown as
 * hosts are registered); the slot keys bound each host across processes. `deps` are for tests
 * (their database, Docker client and env); the default is the process's.
 */
export async function workOperationQueues(
  deps: RunOperationDeps & { pollingIntervalSeconds?: number; growIntervalMs?: number } = {},
): Promise<void> {
  const { pollingIntervalSeconds, growIntervalMs = GROW_INTERVAL_MS, ...runDeps } = deps;
  // Sends wake the workers (NOTIFY); polling is the backstop. A caller's own interval (tests, the
  // bench) applies to both, so retries and delayed jobs are seen that soon too.
  const polling: WorkJobsOptions =
    pollingIntervalSeconds === undefined
      ? { pollingIntervalSeconds: 0.5 }
      : { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
  // The slot is the job's claim: once pg-boss took the job back (a lapsed heartbeat), the next
  // job of its slot may start elsewhere, so the item checks before it starts and again just before
  // the container swap. What stays possible is a lapse DURING one swap (stop → create → start →
  // gate): then that slot runs one extra item for at most that swap's length. pg-boss aborts
  // job.signal at its next heartbeat, and the database says it at once.
  await workItemsForHosts(runDeps, { polling, growIntervalMs });
  await workJobs<{ operationId: string }>(
    "operations.sync",
    async (job) => void (await runOperation(job.data.operationId, { ...runDeps, db: runDeps.db ?? (await getDb()) })),
    polling,
  );
}

/**
 * Registers item workers up to processConcurrency, and (when FLEETPIN_WORKER_CONCURRENCY is unset)
 * adds more every `growIntervalMs` if hosts were registered since, until this runner stops. Never
 * shrinks: a removed host's share idles until the process restarts.
 */
async function workItemsForHosts(
  deps: RunOperationDeps,
  { polling, growIntervalMs }: { polling: WorkJobsOptions; growIntervalMs: number },
): Promise<void> {
  const fixed = workersConfig(deps.env).workerConcurrency;
  const runner = currentRunner();
  let working = 0;
  const grow = async () => {
    const hosts = fixed === null ? (await listHosts(deps.db ?? (await getDb()))).length : 0;
    const wanted = processConcurrency({ fixed, hostLimit: hostConcurrency(deps.env), hosts });
    if (wanted <= working || currentRunner() !== runner) return;
    const more = wanted - working;
    working = wanted;
    await workJobs<ItemJobData>(
      "operations.item",
      (job) => runItemJob(job.data, { ...deps, holdsSlot: () => holdsSlot(job) }),
      { ...polling, localConcurrency: more },
    );
  };
  await grow();
  if (fixed !== null) return;
  const timer = setInterval(() => {
    if (currentRunner() !== runner) return clearInterval(timer);
    grow().catch((error: unknown) =>
      jobLog("warn", "jobs", { event: "item_workers_not_grown", error: errorMessage(error) }),
    );
  }, growIntervalMs);
  timer.unref();
}

/** True when any of `jobIds` of `queue` is still waiting or running in pg-boss. */
export async function anyJobLive(queue: "operations.item" | "operations.sync", jobIds: string[]): Promise<boolean> {
  for (const id of jobIds) {
    const state = await jobState(queue, id);
    if (state === "created" || state === "retry" || state === "active") return true;
  }
  return false;
}

/** True while the job (this attempt of it) is still this worker's, and so is its `<host>:<slot>`. */
async function holdsSlot(job: { id: string; retryCount: number; signal: AbortSignal }): Promise<boolean> {
  if (job.signal.aborted) return false;
  return stillClaimed("operations.item", { id: job.id, retryCount: job.retryCount });
}
