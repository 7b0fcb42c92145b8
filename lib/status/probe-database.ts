import "server-only";

import { getDb } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { errorMessage } from "@/lib/errors";
import type { ServiceStatus } from "@/lib/status/service-status";
import { withTimeout } from "@/lib/status/with-timeout";

/** Default budget: opening PGlite the first time (and migrating) takes a moment. */
export const DATABASE_PROBE_TIMEOUT_MS = 4_000;

/** Opens the process-wide database if needed and runs `SELECT 1`, within a short timeout. */
export async function probeDatabase(timeoutMs: number = DATABASE_PROBE_TIMEOUT_MS): Promise<ServiceStatus> {
  try {
    await withTimeout(
      getDb().then((db) => db.$queryRaw`SELECT 1`),
      timeoutMs,
      "The database",
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, message: errorMessage(translateDatabaseError(error, "the configured database")) };
  }
}
