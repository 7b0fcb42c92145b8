import "server-only";

import { ensureFirstAdmin } from "@/lib/bootstrap/first-admin";
import { getDatabase } from "@/lib/db/client";
import { recoverInterruptedOperations } from "@/lib/db/operations";
import { errorMessage } from "@/lib/errors";

/**
 * Start-up work of the server process: open (and migrate) the database, make
 * sure someone can sign in, and close out operations a previous process left
 * running. A database that is down is reported, not fatal: pages show a
 * banner and the next request tries again.
 */
export async function onServerStart(): Promise<void> {
  try {
    const database = await getDatabase();
    const { applied } = database.migration;
    console.info(
      `[fleetpin] database: ${database.description}${applied.length ? ` (applied ${applied.join(", ")})` : ""}`,
    );
    await ensureFirstAdmin(database.db, process.env, (message) => console.info(message));
    const recovered = await recoverInterruptedOperations(database.db);
    if (recovered.length) console.warn(`[fleetpin] closed ${recovered.length} operation(s) interrupted by a restart`);
  } catch (error) {
    console.error(`[fleetpin] start-up: ${errorMessage(error)}`);
  }
}
