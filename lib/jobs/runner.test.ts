import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";
import { waitFor } from "@/test/wait-for";

import { jobState, sendJob, startJobs, stopJobs, stillClaimed, workJobs } from "./runner";

describe.each(availableBackends())("job runner on %s", (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await startJobs(database);
  });
  afterAll(async () => {
    await stopJobs();
    await database?.close();
  });

  it("runs a sent job once, next to Prisma transactions on the same database", async () => {
    const seen: number[] = [];
    await workJobs<{ n: number }>("jobs.selftest", async (job) => void seen.push(job.data.n), {
      pollingIntervalSeconds: 0.5,
    });
    // Interleave sends with interactive transactions: on PGlite both share one connection.
    for (let n = 0; n < 5; n++) {
      await sendJob("jobs.selftest", { n });
      await database.db.$transaction(async (tx) => {
        await tx.auditLog.create({
          data: { actor: "test", action: "jobs.selftest", targetType: "operation", targetId: String(n) },
        });
      });
    }
    await waitFor(async () => seen.length === 5, "five jobs handled");
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await database.db.auditLog.count({ where: { action: "jobs.selftest" } })).toBe(5);
  });

  it("keeps a job queued across a stop and runs it after the next start", async () => {
    await stopJobs();
    await startJobs(database);
    const id = await sendJob("jobs.selftest", { n: 42 }, { startAfter: 1 });
    expect(id).toEqual(expect.any(String));
    await stopJobs();
    await startJobs(database);
    const seen: number[] = [];
    await workJobs<{ n: number }>("jobs.selftest", async (job) => void seen.push(job.data.n), {
      pollingIntervalSeconds: 0.5,
    });
    await waitFor(async () => seen.includes(42), "the job sent before the restart");
  });

  it("keeps one queued or running job per delivery on webhooks.deliver (exclusive per singletonKey)", async () => {
    const deliveryId = randomUUID();
    // Nobody works this queue in this file, so the first job stays queued while the second is sent.
    expect(await sendJob("webhooks.deliver", { deliveryId }, { singletonKey: deliveryId })).toEqual(expect.any(String));
    expect(await sendJob("webhooks.deliver", { deliveryId }, { singletonKey: deliveryId })).toBeNull();
    const other = randomUUID();
    expect(await sendJob("webhooks.deliver", { deliveryId: other }, { singletonKey: other })).toEqual(
      expect.any(String),
    );
  });

  it("tells a handler its job is still claimed while it runs, and not once the attempt has ended", async () => {
    // A fresh runner: no handler of an earlier test works the queue here.
    await stopJobs();
    await startJobs(database);
    const claimed: boolean[] = [];
    let attempt: { id: string; retryCount: number } | undefined;
    await workJobs<{ claimTest: true }>(
      "jobs.selftest",
      async (job) => {
        if (!job.data.claimTest) return;
        attempt = { id: job.id, retryCount: job.retryCount };
        claimed.push(await stillClaimed("jobs.selftest", attempt));
        // Another attempt of the same job (a retry after a lapsed heartbeat) is not this one.
        claimed.push(await stillClaimed("jobs.selftest", { ...attempt, retryCount: attempt.retryCount + 1 }));
      },
      { pollingIntervalSeconds: 0.5 },
    );
    const id = await sendJob("jobs.selftest", { claimTest: true });
    await waitFor(async () => (await jobState("jobs.selftest", id!)) === "completed", "the job to complete");
    expect(claimed).toEqual([true, false]);
    expect(await stillClaimed("jobs.selftest", attempt!)).toBe(false);
  });

  it("works a run of quick jobs back to back, and wakes an idle worker when a job is sent", async () => {
    // Polling this slow would take an hour for these jobs: only the NOTIFY on send and the fetch
    // right after each job (fetchAgainAtOnce) can get them done within the wait below.
    await stopJobs();
    await startJobs(database);
    const seen: number[] = [];
    await workJobs<{ quick: number }>("jobs.selftest", async (job) => void seen.push(job.data.quick), {
      pollingIntervalSeconds: 600,
      notifyPollingIntervalSeconds: 600,
    });
    // Sent together: after each job the worker fetches the next at once.
    for (let quick = 0; quick < 20; quick++) await sendJob("jobs.selftest", { quick });
    await waitFor(async () => seen.length === 20, "twenty quick jobs handled by one worker");
    // Sent one at a time, each once the last was handled (and the worker found nothing more and
    // went to sleep): each send's NOTIFY wakes it.
    for (let quick = 100; quick < 105; quick++) {
      await sendJob("jobs.selftest", { quick });
      await waitFor(async () => seen.includes(quick), `job ${quick}, sent to a sleeping worker`, 30_000);
    }
  });

  it("turns on NOTIFY for a queue an earlier version created without it", async () => {
    await stopJobs();
    await database.db.$executeRaw`UPDATE pgboss.queue SET notify = false WHERE name = 'jobs.selftest'`;
    await startJobs(database);
    const rows = await database.db.$queryRaw<{ notify: boolean }[]>`
      SELECT notify FROM pgboss.queue WHERE name = 'jobs.selftest'`;
    expect(rows).toEqual([{ notify: true }]);
  });

  it("refuses to send before the runner starts", async () => {
    await stopJobs();
    await expect(sendJob("jobs.selftest", {})).rejects.toThrow(/not started/);
    await startJobs(database);
  });
});
