// `npm run worker`: a process that only runs operation items from the job queue, next to any
// number of dashboard processes and other workers on one PostgreSQL database (DATABASE_URL).
// It opens (and migrates) the database, starts the job runner, works the operation queues and
// ticks active rollouts (so a rollout moves on with no dashboard running; each step applies once
// however many processes tick), and on SIGTERM / SIGINT stops taking jobs, lets running items
// finish (up to 10 s; what is cut short comes back to another process through the job's
// heartbeat) and exits.
// Runs under `tsx --conditions react-server` so `server-only` resolves to its empty module.
import { getDatabase } from "@/lib/db/client";
import { databaseConfigFromEnv } from "@/lib/db/config";
import { errorMessage } from "@/lib/domain/errors";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { getLogger } from "@/lib/log/logger";
import { hostConcurrency } from "@/lib/operations/queue/slots";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";
import { startRolloutDriver } from "@/lib/rollouts/driver";

const log = getLogger({ source: "worker" });

async function main(): Promise<void> {
  if (databaseConfigFromEnv().kind !== "postgres") {
    // The embedded database belongs to the one dashboard process that opened its folder; it runs the items itself.
    throw new Error(
      "npm run worker needs DATABASE_URL (PostgreSQL); with the embedded database the dashboard runs operations itself",
    );
  }
  const database = await getDatabase();
  await startJobs(database);
  await workOperationQueues();
  const stopRollouts = startRolloutDriver({ db: async () => database.db });
  log.info(
    { event: "started", pid: process.pid, database: database.description, hostConcurrency: hostConcurrency() },
    `worker ${process.pid} started on ${database.description}`,
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      log.info({ event: "stopping", signal }, `worker stopping on ${signal}`);
      stopRollouts();
      void stopJobs()
        .then(() => database.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            log.error(
              { event: "stop_failed", error: errorMessage(error) },
              `worker stop failed: ${errorMessage(error)}`,
            );
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error: unknown) => {
  log.fatal({ event: "start_failed", error: errorMessage(error) }, `worker: ${errorMessage(error)}`);
  process.exit(1);
});
