import "server-only";

import type { Database } from "@/lib/db/client";
import { startJobs, stopJobs } from "@/lib/jobs/runner";

let signalsHooked = false;

/**
 * Starts the job runner on the process database, then the workers of this process, and stops the
 * runner on SIGTERM / SIGINT (running handlers get up to 10 s; what they leave is retried from the
 * database by the next start).
 */
export async function startProcessJobs(database: Database): Promise<void> {
  await startJobs(database);
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void stopJobs().finally(() => {
        // Nobody else (e.g. Next's own handler) took the signal: end the process as it would have ended.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
