import "server-only";

import { getDb } from "@/lib/db/client";
import { jobState, stillClaimed, workJobs } from "@/lib/jobs/runner";
import { runOperation, type RunOperationDeps } from "@/lib/operations/run-operation";

import { runItemJob, type ItemJobData } from "./item-job";
import { hostConcurrency } from "./slots";

/**
 * Works the operation queues in this process (the dashboard, or `npm run worker`). Up to the host
 * limit of items at once here; the slot keys bound them across processes. `deps` are for tests
 * (their database, Docker client and env); the default is the process's.
 */
export async function workOperationQueues(
  deps: RunOperationDeps & { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  const { pollingIntervalSeconds = 0.5, ...runDeps } = deps;
  // The slot is the job's claim: once pg-boss took the job back (a lapsed heartbeat), the next
  // job of its slot may start elsewhere, so the item checks before it starts and again just before
  // the container swap. What stays possible is a lapse DURING one swap (stop → create → start →
  // gate): then that slot runs one extra item for at most that swap's length. pg-boss aborts
  // job.signal at its next heartbeat, and the database says it at once.
  await workJobs<ItemJobData>(
    "operations.item",
    (job) => runItemJob(job.data, { ...runDeps, holdsSlot: () => holdsSlot(job) }),
    {
      localConcurrency: hostConcurrency(deps.env),
      pollingIntervalSeconds,
    },
  );
  await workJobs<{ operationId: string }>(
    "operations.sync",
    async (job) => void (await runOperation(job.data.operationId, { ...runDeps, db: runDeps.db ?? (await getDb()) })),
    { pollingIntervalSeconds },
  );
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
