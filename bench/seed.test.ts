import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BENCH_HOST_COUNT, benchHostName, seedBenchWorkspaces } from "@/lib/db/bench-seed";
import type { Db } from "@/lib/db/client";
import { staleSummary } from "@/lib/db/stale-fleet";
import { KNOWN_RUNTIMES } from "@/lib/domain/runtimes";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

import { benchDigest, seedFleet } from "./seed";

// Everything a row is, in one string, to compare two seeds of the same rows.
async function fingerprint(db: Db): Promise<string> {
  const [row] = await db.$queryRawUnsafe<Array<{ f: string }>>(
    `SELECT md5(string_agg(concat_ws('|', name, runtime, status, runtime_image_digest, host, created_at), ',' ORDER BY name)) AS f
     FROM workspaces`,
  );
  return row!.f;
}

describe.each(availableBackends())("seedFleet on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await seedFleet(database.db, 2000);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("pins all nine templates and spreads ~88% on pin, ~7% stale, ~5% unknown over them", async () => {
    const summary = await staleSummary(database.db);
    expect(summary.map((row) => row.templateName)).toEqual([...KNOWN_RUNTIMES]);
    expect(summary.every((row) => row.pinnedDigest === benchDigest(row.templateName) && row.total > 0)).toBe(true);
    const sum = (key: "total" | "onPin" | "stale" | "unknown" | "down") =>
      summary.reduce((total, row) => total + row[key], 0);
    const live = sum("total");
    expect(live).toBeGreaterThan(1900); // ~3% removed
    expect(live).toBeLessThan(2000);
    expect(sum("onPin") + sum("stale") + sum("unknown")).toBe(live);
    expect(sum("onPin") / live).toBeCloseTo(0.88, 1);
    expect(sum("stale") / live).toBeGreaterThan(0.04);
    expect(sum("stale") / live).toBeLessThan(0.1);
    expect(sum("unknown") / live).toBeGreaterThan(0.02);
    expect(sum("unknown") / live).toBeLessThan(0.08);
    expect(sum("down")).toBeGreaterThan(0);
  });

  it("spreads statuses, three older digests and twenty registered hosts", async () => {
    const db = database.db;
    const statuses = await db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
      "SELECT status::text AS status, count(*)::int AS n FROM workspaces GROUP BY 1 ORDER BY 2 DESC",
    );
    expect(statuses.reduce((total, row) => total + row.n, 0)).toBe(2000);
    expect(statuses[0]?.status).toBe("online");
    expect(statuses.map((row) => row.status)).toEqual(
      expect.arrayContaining(["offline", "down", "failed", "removed", "provisioning"]),
    );
    const [digests] = await db.$queryRawUnsafe<Array<{ n: number }>>(
      "SELECT count(DISTINCT runtime_image_digest)::int AS n FROM workspaces WHERE runtime = 'langgraph'",
    );
    expect(digests?.n).toBe(4);
    const hosts = await db.$queryRawUnsafe<Array<{ host: string }>>(
      "SELECT DISTINCT w.host FROM workspaces w JOIN docker_hosts h ON h.name = w.host ORDER BY 1",
    );
    expect(hosts.map((row) => row.host)).toEqual(
      Array.from({ length: BENCH_HOST_COUNT }, (_, i) => benchHostName(i + 1)),
    );
  });

  it("gives row g the same values whatever batches it is written in", async () => {
    const db = database.db;
    const whole = await fingerprint(db);
    await db.$executeRawUnsafe("DELETE FROM workspaces");
    await seedBenchWorkspaces(db, 1, 700);
    await seedBenchWorkspaces(db, 701, 2000);
    expect(await fingerprint(db)).toBe(whole);
    const [first] = await db.$queryRawUnsafe<Array<{ name: string }>>(
      "SELECT name FROM workspaces ORDER BY created_at LIMIT 1",
    );
    expect(first?.name).toBe("bench-0000001");
  });
});
