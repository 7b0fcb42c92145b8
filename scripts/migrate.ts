// `npm run db:migrate`: applies pending migrations to the configured database
// (DATABASE_URL, or the embedded PGlite folder) and says what it did. The
// dashboard migrates on start anyway; this is for deploy pipelines and for
// seeing a migration problem without starting the server.
// Runs under `tsx --conditions react-server` so `server-only` resolves to its empty module.
import { openDatabase } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";

async function main(): Promise<number> {
  let database;
  try {
    database = await openDatabase();
  } catch (error) {
    // One line an operator can act on; every error on this path says what failed.
    console.error(`db:migrate failed: ${oneLine(errorMessage(error))}`);
    return 1;
  }
  try {
    const { applied, alreadyApplied } = database.migration;
    console.log(`Database: ${database.description}`);
    if (applied.length === 0) {
      console.log(
        alreadyApplied.length === 1
          ? "Nothing to apply: the one migration is already applied."
          : `Nothing to apply: all ${alreadyApplied.length} migrations are already applied.`,
      );
    } else {
      console.log(`Applied ${plural(applied.length, "migration")}:`);
      for (const name of applied) console.log(`  ${name}`);
      if (alreadyApplied.length > 0) console.log(`(${alreadyApplied.length} already applied before.)`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db:migrate failed: ${oneLine(errorMessage(error))}`);
    process.exitCode = 1;
  },
);
