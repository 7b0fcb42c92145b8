// Seeds a realistic fleet (lib/db/bench-seed.ts: INSERT … SELECT generate_series): all nine
// templates pinned, 20 Docker hosts, 88% of workspaces on their pin, 7% on one of three older
// digests (stale), 5% never seen (NULL digest), a spread of statuses (2% down, 3% removed) and a
// year of creation times. Deterministic: row g always gets the same values.
import { seedBenchHosts, seedBenchPins, seedBenchWorkspaces, settleBenchFleet } from "@/lib/db/bench-seed";
import type { Db } from "@/lib/db/client";

export { benchDigest, SEED_PREFIX } from "@/lib/db/bench-seed";

// Rows per INSERT: a million in one statement holds every row's index entries and trigger
// state in one transaction; a quarter of a million at a time keeps memory flat.
const BATCH = 250_000;

/** Pins, hosts and `rows` workspaces, then settled (CHECKPOINT, VACUUM FREEZE ANALYZE) as in production. */
export async function seedFleet(db: Db, rows: number): Promise<void> {
  await seedBenchPins(db);
  await seedBenchHosts(db);
  for (let from = 1; from <= rows; from += BATCH) {
    await seedBenchWorkspaces(db, from, Math.min(rows, from + BATCH - 1));
  }
  await settleBenchFleet(db);
}
