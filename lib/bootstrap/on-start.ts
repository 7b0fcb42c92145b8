import "server-only";

import { scheduleThrottlePruning } from "@/lib/auth/throttle-pruning";
import type { Env } from "@/lib/config";
import { getDatabase, type Database } from "@/lib/db/client";
import { recoverInterruptedOperations } from "@/lib/db/operations/recover-interrupted-operations";
import { sealPlainWebhookSecrets } from "@/lib/db/webhooks/seal-plain-secrets";
import { errorMessage } from "@/lib/domain/errors";
import { startWatchLoop } from "@/lib/ledger/watch-loop";
import { getLogger } from "@/lib/log/logger";
import { resumeOperations } from "@/lib/operations/queue/resume-operations";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";
import { registerLocalHost } from "@/lib/provisioner/docker/hosts";
import { startProcessLiveState } from "@/lib/provisioner/live-state/process-live-state";
import { runRepairPassAllHosts, startHostsRepairLoop } from "@/lib/provisioner/swap/repair-all-hosts";
import { startRolloutDriver } from "@/lib/rollouts/driver";

import { scheduleCountFolding } from "./count-folding";
import { ensureFirstAdmin } from "./first-admin";
import { startProcessJobs } from "./process-jobs";

/** What start-up uses; tests pass their own database opener and a short retry delay. */
export type ServerStartDeps = {
  open?: () => Promise<Database>;
  /** An environment of the test's own; the process-wide config otherwise. */
  env?: Env;
  /** Delay before the next attempt when the database cannot be opened; doubles up to MAX_RETRY_MS. */
  retryMs?: number;
  /** How often expired sign-in counters are removed (default THROTTLE_PRUNE_INTERVAL_MS). */
  pruneIntervalMs?: number;
};

const FIRST_RETRY_MS = 5_000;
let repairLoopStarted = false;
let watchLoopStarted = false;
let rolloutDriverStarted = false;
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
  const log = getLogger({ source: "startup" });
  let database: Database;
  try {
    database = await (deps.open ?? getDatabase)();
  } catch (error) {
    const retryMs = deps.retryMs ?? FIRST_RETRY_MS;
    log.error(
      { event: "database_unavailable", error: errorMessage(error), retryMs },
      `start-up: ${errorMessage(error)} (trying again in ${Math.round(retryMs / 1000)} s)`,
    );
    setTimeout(() => void onServerStart({ ...deps, retryMs: Math.min(retryMs * 2, MAX_RETRY_MS) }), retryMs).unref();
    return false;
  }
  const { applied } = database.migration;
  log.info(
    { event: "database_opened", applied },
    `database: ${database.description}${applied.length ? ` (applied ${applied.join(", ")})` : ""}`,
  );
  const { db } = database;
  // Independent steps: a bad FLEETPIN_ADMIN_* value must not leave operations open, nor the reverse.
  await step("first operator", () =>
    ensureFirstAdmin(db, deps.env, (message) => log.info({ event: "first_operator" }, message)),
  );
  // Webhook secrets earlier versions stored in plain text are sealed once a key is there; until then
  // (PostgreSQL without FLEETPIN_SECRET_KEY) this step fails alone and those endpoints keep signing.
  await step("webhook secrets", async () => {
    const sealed = await sealPlainWebhookSecrets(db, deps.env);
    if (sealed)
      log.info(
        { event: "webhook_secrets_sealed", count: sealed },
        `sealed ${sealed} webhook secret(s) stored in plain text`,
      );
  });
  // The job runner (pg-boss) first: whether an operation is still being run is a question for its jobs.
  const jobsUp = await step("job runner", () => startProcessJobs(database));
  await step("interrupted operations", async () => {
    // Without the runner only the embedded database (one process per folder) can tell: everything open is dead.
    if (!jobsUp && database.config.kind !== "pglite") return;
    const { closed } = jobsUp ? await resumeOperations(db) : { closed: await recoverInterruptedOperations(db) };
    if (closed.length)
      log.warn(
        { event: "operations_interrupted", count: closed.length },
        `closed ${closed.length} operation(s) interrupted by a restart`,
      );
  });
  // Before anything per host: DOCKER_HOST (or the default socket when it answers) is the host `local`.
  await step("local Docker host", async () => {
    if ((await registerLocalHost(db, deps.env)) === "registered")
      log.info({ event: "local_host_registered" }, `registered DOCKER_HOST as the Docker host "local"`);
  });
  // After the step above released the locks of interrupted runs: their swaps are finished or undone now, on every host.
  await step("interrupted swaps", async () => {
    const repaired = await runRepairPassAllHosts({ db, ...envOf(deps) });
    const acted = repaired.filter((outcome) => outcome.result !== "skipped");
    if (acted.length)
      log.warn(
        { event: "swaps_repaired", count: acted.length },
        `repaired ${acted.length} container swap(s) a previous process left unfinished`,
      );
  });
  if (!repairLoopStarted) {
    repairLoopStarted = true;
    startHostsRepairLoop({ db: async () => db, ...envOf(deps) });
  }
  if (!watchLoopStarted) {
    // The tag watcher and retention check (FLEETPIN_WATCH_INTERVAL; 0 = off): registry reads only, never a deploy.
    watchLoopStarted = true;
    startWatchLoop({ db: async () => db, ...envOf(deps) });
  }
  if (!rolloutDriverStarted) {
    // Rollouts (issue 18): their state and timers are in the database; this resumes any under way.
    rolloutDriverStarted = true;
    startRolloutDriver({ db: async () => db, ...envOf(deps) });
  }
  scheduleThrottlePruning(db, deps.pruneIntervalMs);
  scheduleCountFolding(db);
  // This process's workers of the operation queues; jobs left by a previous process resume here.
  if (jobsUp) await step("operation workers", () => workOperationQueues({ db, ...envOf(deps) }));
  // Last: it writes workspace rows from Docker's state, which needs the migrated database.
  await step("live state", async () => void startProcessLiveState(db, deps.env));
  return true;
}

function envOf(deps: ServerStartDeps): { env?: Env } {
  return deps.env ? { env: deps.env } : {};
}

/** Runs one start-up step; true when it went through. */
async function step(what: string, work: () => Promise<unknown>): Promise<boolean> {
  const log = getLogger({ source: "startup" });
  try {
    await work();
    return true;
  } catch (error) {
    log.error(
      { event: "start_step_failed", step: what, error: errorMessage(error) },
      `start-up (${what}): ${errorMessage(error)}`,
    );
    return false;
  }
}
