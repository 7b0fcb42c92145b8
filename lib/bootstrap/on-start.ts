import "server-only";

import type { EnvVars } from "@/lib/auth/env-vars";
import { scheduleThrottlePruning } from "@/lib/auth/throttle-pruning";
import { ensureFirstAdmin } from "@/lib/bootstrap/first-admin";
import { startProcessJobs } from "@/lib/bootstrap/process-jobs";
import { getDatabase, type Database } from "@/lib/db/client";
import { recoverInterruptedOperations } from "@/lib/db/operations/recover-interrupted-operations";
import { resumeOperations } from "@/lib/operations/queue/resume-operations";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";
import { errorMessage } from "@/lib/domain/errors";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { runRepairPass, startRepairLoop } from "@/lib/provisioner/swap/repair-loop";
import { startProcessLiveState } from "@/lib/provisioner/live-state/process-live-state";

/** What start-up uses; tests pass their own database opener and a short retry delay. */
export type ServerStartDeps = {
  open?: () => Promise<Database>;
  env?: EnvVars;
  /** Delay before the next attempt when the database cannot be opened; doubles up to MAX_RETRY_MS. */
  retryMs?: number;
  /** How often expired sign-in counters are removed (default THROTTLE_PRUNE_INTERVAL_MS). */
  pruneIntervalMs?: number;
};

const FIRST_RETRY_MS = 5_000;
let repairLoopStarted = false;
const MAX_RETRY_MS = 60_000;

/**
 * Start-up work of the server process: open (and migrate) the database, make
 * sure someone can sign in, close out operations a previous process left
 * running, schedule the pruning of expired sign-in counters, repair container swaps a dead
 * process left, and start following Docker (live state, unless FLEETPIN_LIVE_STATE=0). A
 * database that is down is reported, not fatal: pages show a banner meanwhile, and start-up tries again in the background until the
 * database answers, so its steps are not skipped for the life of the process.
 * Resolves with true once the steps have run, false when a retry is scheduled.
 */
export async function onServerStart(deps: ServerStartDeps = {}): Promise<boolean> {
  let database: Database;
  try {
    database = await (deps.open ?? getDatabase)();
  } catch (error) {
    const retryMs = deps.retryMs ?? FIRST_RETRY_MS;
    console.error(`[fleetpin] start-up: ${errorMessage(error)} (trying again in ${Math.round(retryMs / 1000)} s)`);
    setTimeout(() => void onServerStart({ ...deps, retryMs: Math.min(retryMs * 2, MAX_RETRY_MS) }), retryMs).unref();
    return false;
  }
  const { applied } = database.migration;
  console.info(`[fleetpin] database: ${database.description}${applied.length ? ` (applied ${applied.join(", ")})` : ""}`);
  const { db } = database;
  // Independent steps: a bad FLEETPIN_ADMIN_* value must not leave operations open, nor the reverse.
  await step("first operator", () => ensureFirstAdmin(db, deps.env ?? process.env, (message) => console.info(message)));
  // The job runner (pg-boss) first: whether an operation is still being run is a question for its jobs.
  const jobsUp = await step("job runner", () => startProcessJobs(database));
  await step("interrupted operations", async () => {
    // Without the runner only the embedded database (one process per folder) can tell: everything open is dead.
    if (!jobsUp && database.config.kind !== "pglite") return;
    const { closed } = jobsUp ? await resumeOperations(db) : { closed: await recoverInterruptedOperations(db) };
    if (closed.length) console.warn(`[fleetpin] closed ${closed.length} operation(s) interrupted by a restart`);
  });
  // After the step above released the locks of interrupted runs: their swaps are finished or undone now.
  await step("interrupted swaps", async () => {
    const repaired = await runRepairPass({ db, docker: getDockerClient(), env: deps.env ?? process.env });
    const acted = repaired.filter((outcome) => outcome.result !== "skipped");
    if (acted.length) console.warn(`[fleetpin] repaired ${acted.length} container swap(s) a previous process left unfinished`);
  });
  if (!repairLoopStarted) {
    repairLoopStarted = true;
    startRepairLoop({ db: async () => db, docker: getDockerClient, env: deps.env ?? process.env });
  }
  scheduleThrottlePruning(db, deps.pruneIntervalMs);
  // This process's workers of the operation queues; jobs left by a previous process resume here.
  if (jobsUp) await step("operation workers", () => workOperationQueues());
  // Last: it writes workspace rows from Docker's state, which needs the migrated database.
  await step("live state", async () => void startProcessLiveState(db, deps.env ?? process.env));
  return true;
}

/** Runs one start-up step; true when it went through. */
async function step(what: string, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    console.error(`[fleetpin] start-up (${what}): ${errorMessage(error)}`);
    return false;
  }
}
