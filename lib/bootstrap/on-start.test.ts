import { randomBytes } from "node:crypto";

import { afterEach, describe, expect, it, vi } from "vitest";

import { stopThrottlePruning } from "@/lib/auth/throttle-pruning";
import { DatabaseUnavailableError } from "@/lib/domain/errors";
import { stopJobs } from "@/lib/jobs/runner";
import { captureLogs } from "@/lib/log/capture";
import { openSecret } from "@/lib/util/secret-box";
import { stopWebhookDispatch } from "@/lib/webhooks/delivery-worker";
import { createTestDatabase, type TestDatabase } from "@/test/databases";

import { stopCountFolding } from "./count-folding";
import { onServerStart } from "./on-start";

// Live state and the tag watcher off: these tests are about the database steps, not Docker or a registry.
const ADMIN = {
  FLEETPIN_ADMIN_EMAIL: "first@example.com",
  FLEETPIN_ADMIN_PASSWORD: "a-long-enough-password-1",
  FLEETPIN_LIVE_STATE: "0",
  FLEETPIN_WATCH_INTERVAL: "0",
};

describe("onServerStart", () => {
  let database: TestDatabase | undefined;
  let restoreLogs = () => undefined as void;
  afterEach(async () => {
    restoreLogs();
    stopThrottlePruning();
    stopCountFolding();
    stopWebhookDispatch();
    await stopJobs();
    vi.restoreAllMocks();
    await database?.close();
    database = undefined;
  });

  it("runs its steps once the database opens", async () => {
    database = await createTestDatabase("pglite");

    expect(await onServerStart({ open: async () => database!, env: ADMIN })).toBe(true);
    expect(await database.db.user.findMany({ select: { email: true } })).toEqual([{ email: "first@example.com" }]);
  });

  it("keeps trying while the database is down, then creates the first operator", async () => {
    database = await createTestDatabase("pglite");
    const logs = captureLogs();
    restoreLogs = logs.restore;
    let attempts = 0;
    const open = async () => {
      attempts++;
      if (attempts < 3) throw new DatabaseUnavailableError("The database is not reachable (test)");
      return database!;
    };

    expect(await onServerStart({ open, env: ADMIN, retryMs: 10 })).toBe(false);
    await vi.waitFor(async () => expect(await database!.db.user.count()).toBe(1), { timeout: 5_000 });
    expect(attempts).toBe(3);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        source: "startup",
        msg: expect.stringContaining("The database is not reachable (test) (trying again in 0 s)"),
      }),
    );
  });

  it("prunes expired sign-in throttle rows on a schedule, with no sign-in needed (#13 item 9)", async () => {
    database = await createTestDatabase("pglite");
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
    await vi.waitFor(
      async () =>
        expect(await database!.db.loginThrottle.findMany({ select: { key: true } })).toEqual([
          { key: "email:current@example.com" },
        ]),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
  });

  it("seals webhook secrets an earlier version stored in plain text", async () => {
    database = await createTestDatabase("pglite");
    const logs = captureLogs();
    restoreLogs = logs.restore;
    const key = randomBytes(32);
    const row = await database.db.webhookEndpoint.create({
      data: { url: "https://hooks.example.com/", secret: "whsec_plain", events: ["pin.promoted"], createdBy: "x" },
    });

    expect(
      await onServerStart({
        open: async () => database!,
        env: { ...ADMIN, FLEETPIN_SECRET_KEY: key.toString("base64") },
      }),
    ).toBe(true);
    const { secret } = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: row.id } });
    expect(secret).not.toBe("whsec_plain");
    expect(openSecret(secret, key)).toBe("whsec_plain");
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ source: "startup", msg: "sealed 1 webhook secret(s) stored in plain text" }),
    );
  });
});
