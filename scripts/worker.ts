// `npm run worker`: a process that only runs operation items from the job queue, next to any
// number of dashboard processes and other workers on one PostgreSQL database (DATABASE_URL).
// It opens (and migrates) the database, starts the job runner, works the operation queues, and
// on SIGTERM / SIGINT stops taking jobs, lets running items finish (up to 10 s; what is cut short
// comes back to another process through the job's heartbeat) and exits.
// Runs under `tsx --conditions react-server` so `server-only` resolves to its empty module.
import { getDatabase } from "@/lib/db/client";
import { databaseConfigFromEnv } from "@/lib/db/config";
import { errorMessage } from "@/lib/domain/errors";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { hostConcurrency } from "@/lib/operations/queue/slots";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";

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
  console.info(
    JSON.stringify({
      level: "info",
      source: "worker",
      event: "started",
      pid: process.pid,
      database: database.description,
      hostConcurrency: hostConcurrency(),
    }),
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      console.info(JSON.stringify({ level: "info", source: "worker", event: "stopping", signal }));
      void stopJobs()
        .then(() => database.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(
              JSON.stringify({ level: "error", source: "worker", event: "stop_failed", error: errorMessage(error) }),
            );
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error: unknown) => {
  console.error(`worker: ${errorMessage(error)}`);
  process.exit(1);
});
