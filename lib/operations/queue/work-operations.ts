import "server-only";

import { getDb } from "@/lib/db/client";
import { jobState, workJobs } from "@/lib/jobs/runner";
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
  await workJobs<ItemJobData>("operations.item", (job) => runItemJob(job.data, runDeps), {
    localConcurrency: hostConcurrency(deps.env),
    pollingIntervalSeconds,
  });
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
