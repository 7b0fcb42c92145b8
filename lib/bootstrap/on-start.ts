import "server-only";

import { ensureFirstAdmin } from "@/lib/bootstrap/first-admin";
import { getDatabase, type Db } from "@/lib/db/client";
import { recoverInterruptedOperations } from "@/lib/db/operations/recover-interrupted-operations";
import { errorMessage } from "@/lib/errors";

/**
 * Start-up work of the server process: open (and migrate) the database, make
 * sure someone can sign in, and close out operations a previous process left
 * running. A database that is down is reported, not fatal: pages show a
 * banner and the next request tries again.
 */
export async function onServerStart(): Promise<void> {
  let db: Db;
  try {
    const database = await getDatabase();
    const { applied } = database.migration;
    console.info(
      `[fleetpin] database: ${database.description}${applied.length ? ` (applied ${applied.join(", ")})` : ""}`,
    );
    db = database.db;
  } catch (error) {
    console.error(`[fleetpin] start-up: ${errorMessage(error)}`);
    return;
  }
  // Independent steps: a bad FLEETPIN_ADMIN_* value must not leave operations open, nor the reverse.
  await step("first operator", () => ensureFirstAdmin(db, process.env, (message) => console.info(message)));
  await step("interrupted operations", async () => {
    const recovered = await recoverInterruptedOperations(db);
    if (recovered.length) console.warn(`[fleetpin] closed ${recovered.length} operation(s) interrupted by a restart`);
  });
}

async function step(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.error(`[fleetpin] start-up (${what}): ${errorMessage(error)}`);
  }
}
