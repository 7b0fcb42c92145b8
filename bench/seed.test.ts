import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { staleSummary } from "@/lib/db/stale-fleet";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

import { benchDigest, seedFleet } from "./seed";

describe.each(availableBackends())("seedFleet on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await seedFleet(database.db, 2000);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("pins all nine templates and spreads ~70% on pin, ~20% stale, ~10% unknown over them", async () => {
    const summary = await staleSummary(database.db);
    expect(summary.map((row) => row.templateName)).toEqual([...KNOWN_RUNTIMES]);
    expect(summary.every((row) => row.pinnedDigest === benchDigest(row.templateName) && row.total > 0)).toBe(true);
    const sum = (key: "total" | "onPin" | "stale" | "unknown") => summary.reduce((total, row) => total + row[key], 0);
    const live = sum("total");
    expect(live).toBeGreaterThan(1900); // ~3% removed
    expect(live).toBeLessThan(2000);
    expect(sum("onPin") + sum("stale") + sum("unknown")).toBe(live);
    expect(sum("onPin") / live).toBeCloseTo(0.7, 1);
    expect(sum("stale") / live).toBeCloseTo(0.2, 1);
    expect(sum("unknown") / live).toBeCloseTo(0.1, 1);
  });

  it("writes every row in one statement, deterministically, with a spread of statuses", async () => {
    const rows = await database.db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
      "SELECT status::text AS status, count(*)::int AS n FROM workspaces GROUP BY 1 ORDER BY 2 DESC",
    );
    expect(rows.reduce((total, row) => total + row.n, 0)).toBe(2000);
    expect(rows[0]?.status).toBe("online");
    expect(rows.map((row) => row.status)).toEqual(
      expect.arrayContaining(["offline", "failed", "removed", "provisioning"]),
    );
    const [first] = await database.db.$queryRawUnsafe<Array<{ name: string; runtime: string }>>(
      "SELECT name, runtime FROM workspaces ORDER BY created_at LIMIT 1",
    );
    expect(first?.name).toBe("bench-0000001");
  });
});
