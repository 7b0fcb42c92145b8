import { afterEach, describe, expect, it, vi } from "vitest";

import { stopThrottlePruning } from "@/lib/auth/throttle-pruning";
import { onServerStart } from "@/lib/bootstrap/on-start";
import { DatabaseUnavailableError } from "@/lib/domain/errors";
import { stopJobs } from "@/lib/jobs/runner";
import { createTestDatabase, type TestDatabase } from "@/test/databases";

// Live state off: these tests are about the database steps, not Docker.
const ADMIN = { FLEETPIN_ADMIN_EMAIL: "first@example.com", FLEETPIN_ADMIN_PASSWORD: "a-long-enough-password-1", FLEETPIN_LIVE_STATE: "0" };

describe("onServerStart", () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    stopThrottlePruning();
    await stopJobs();
    vi.restoreAllMocks();
    await database?.close();
    database = undefined;
  });

  it("runs its steps once the database opens", async () => {
    database = await createTestDatabase("pglite");
    vi.spyOn(console, "info").mockImplementation(() => undefined);

    expect(await onServerStart({ open: async () => database!, env: ADMIN })).toBe(true);
    expect(await database.db.user.findMany({ select: { email: true } })).toEqual([{ email: "first@example.com" }]);
  });

  it("keeps trying while the database is down, then creates the first operator", async () => {
    database = await createTestDatabase("pglite");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    let attempts = 0;
    const open = async () => {
      attempts++;
      if (attempts < 3) throw new DatabaseUnavailableError("The database is not reachable (test)");
      return database!;
    };

    expect(await onServerStart({ open, env: ADMIN, retryMs: 10 })).toBe(false);
    await vi.waitFor(async () => expect(await database!.db.user.count()).toBe(1), { timeout: 5_000 });
    expect(attempts).toBe(3);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("The database is not reachable (test) (trying again in 0 s)"));
  });

  it("prunes expired sign-in throttle rows on a schedule, with no sign-in needed (#13 item 9)", async () => {
    database = await createTestDatabase("pglite");
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const old = new Date(Date.now() - 2 * 60 * 60_000);
    await database.db.loginThrottle.createMany({
      data: [
        { key: "email:guess1@example.com", failures: 3, windowStart: old },
        { key: "address:203.0.113.7", failures: 1, windowStart: old },
        { key: "email:current@example.com", failures: 1, windowStart: new Date() },
      ],
    });

    // Deps without a prune interval run the default schedule; a short one here so the test need not wait long.
    const started = await onServerStart({ open: async () => database!, env: ADMIN, pruneIntervalMs: 50 });
    expect(started).toBe(true);
    await vi.waitFor(async () => expect(await database!.db.loginThrottle.findMany({ select: { key: true } })).toEqual([{ key: "email:current@example.com" }]), {
      timeout: 10_000,
      interval: 50,
    });
  });
});
