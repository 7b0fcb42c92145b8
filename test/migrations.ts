// The migrations the project ships, as the runner sees them, for tests that
// must not break each time a migration is added.
import { readdirSync } from "node:fs";

import { MIGRATIONS_DIR } from "@/lib/db/migrate";

/** Folder names under prisma/migrations, oldest first; the first creates the schema. */
export const SHIPPED_MIGRATIONS: string[] = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

export const INITIAL_MIGRATION: string = SHIPPED_MIGRATIONS[0]!;

/** What `npm run db:migrate` prints after applying every shipped migration to an empty database. */
export function appliedAllOutput(): string {
  const count = SHIPPED_MIGRATIONS.length;
  return `Applied ${count} migration${count === 1 ? "" : "s"}:\n${SHIPPED_MIGRATIONS.map((name) => `  ${name}\n`).join("")}`;
}

/** What `npm run db:migrate` prints when every shipped migration is already applied. */
export function nothingToApplyOutput(): string {
  const count = SHIPPED_MIGRATIONS.length;
  return count === 1
    ? "Nothing to apply: the one migration is already applied.\n"
    : `Nothing to apply: all ${count} migrations are already applied.\n`;
}
