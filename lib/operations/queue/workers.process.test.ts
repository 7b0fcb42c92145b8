// Operations across processes on one PostgreSQL: two `npm run worker` processes run a bulk
// reprovision, one is killed by PID (SIGKILL) mid-run, and what dockerd itself recorded says
// every workspace was recreated exactly once, never more than the host's limit at once; a cancel
// from another process stops what has not started.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Database } from "@/lib/db/client";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  inspectRaw,
  pushTwoTemplateImages,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import {
  containerEvents,
  daemonTime,
  followContainerEvents,
  maxInFlight,
  spanning,
  countOccurrences,
} from "@/test/docker-events";
import { startWorkerProcess, type WorkerProcess } from "@/test/fixtures/worker-process";
import { dockerCli, type PushedImage } from "@/test/images";
import { usePostgresDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { queueOperation } from "./queue-operation";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "hermes";
const HOST_LIMIT = 3;
// 20 by default on a shared 2-core machine; QUEUE_TEST_WORKSPACES=60 for the full run.
const WORKSPACES = Number(process.env.QUEUE_TEST_WORKSPACES) || 20;

describe.runIf(servicesUp)("operations across worker processes on PostgreSQL", () => {
  const url = usePostgresDatabase();
  const namespace = testNamespace("workers");
  const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "1", FLEETPIN_HEALTH_SETTLE_SECONDS: "1" });
  let database: Database;
  let images: { a: PushedImage; b: PushedImage };
  const workers: WorkerProcess[] = [];
  const workspaceIds: string[] = [];
  const db = () => database.db;
  const workerEnv = () => ({
    ...env,
    DATABASE_URL: url(),
    FLEETPIN_HOST_CONCURRENCY: String(HOST_LIMIT),
    // A killed worker's lock is trusted this long (more than the 15 s lock heartbeat), its job's heartbeat looked at every 5 s.
    FLEETPIN_LOCK_STALE_SECONDS: "30",
    FLEETPIN_JOBS_SUPERVISE_SECONDS: "5",
    // The test reads the workers' item_started / item_ended lines; tests run silent otherwise (vitest.config.mts).
    FLEETPIN_LOG_LEVEL: "info",
  });

  beforeAll(async () => {
    images = await pushTwoTemplateImages(namespace, RUNTIME);
    database = await openDatabase({ kind: "postgres", url: url(), displayUrl: "test" });
    // This process only sends jobs and cancels; the workers run them.
    await startJobs(database);
  }, 180_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await stopJobs();
    await database?.close();
    for (const id of workspaceIds) await removeWorkspaceArtifacts(id);
  }, 300_000);

  async function provisionOnA(count: number, prefix: string): Promise<string[]> {
    const docker = createDockerClient();
    await db().runtimeImagePin.upsert({
      where: { templateName: RUNTIME },
      create: { templateName: RUNTIME, digest: images.a.digest },
      update: { digest: images.a.digest },
    });
    const ids: string[] = [];
    for (let start = 0; start < count; start += 4) {
      const batch = Array.from(
        { length: Math.min(4, count - start) },
        (_, i) => `${prefix}-${start + i}-${randomSuffix()}`,
      );
      const done = await Promise.all(
        batch.map((name) =>
          provisionWorkspace(
            { name, runtime: RUNTIME },
            { db: db(), docker, actor: "test", env, gate: { timeoutSeconds: 30, settleSeconds: 0 } },
          ),
        ),
      );
      ids.push(...done.map((result) => result.workspaceId));
    }
    workspaceIds.push(...ids);
    await db().runtimeImagePin.update({ where: { templateName: RUNTIME }, data: { digest: images.b.digest } });
    return ids;
  }

  const operationOf = (id: string) => db().operation.findUniqueOrThrow({ where: { id } });
  const terminal = (id: string, timeoutMs: number) =>
    waitFor(
      async () => !["queued", "running"].includes((await operationOf(id)).status),
      "the operation to end",
      timeoutMs,
    );

  it(`recreates each of ${WORKSPACES} workspaces exactly once while a worker is killed mid-run, never more than ${HOST_LIMIT} at once`, async () => {
    const ids = await provisionOnA(WORKSPACES, "bulk");
    workers.push(await startWorkerProcess(workerEnv()), await startWorkerProcess(workerEnv()));
    const recording = await followContainerEvents();
    const { operationId } = await enqueueReprovision(
      db(),
      { allStale: true, concurrency: 8, reason: "queue test" },
      "olga@example.com",
    );
    expect(await queueOperation(operationId, { db: db(), env: workerEnv() })).toBe(WORKSPACES);

    // Mid-run: some items done, most not; then the first worker dies without a word.
    await waitFor(
      async () => (await db().operationItem.count({ where: { operationId, status: "succeeded" } })) >= 3,
      "three items to succeed",
      300_000,
    );
    // The victim is a worker with an item in flight right now (its log says started, not yet ended).
    const inFlight = (worker: WorkerProcess) =>
      countOccurrences(worker.output(), '"event":"item_started"') -
      countOccurrences(worker.output(), '"event":"item_ended"');
    let victim: WorkerProcess | undefined;
    await waitFor(
      async () => (victim = workers.find((worker) => inFlight(worker) > 0)) !== undefined,
      "a worker with an item in flight",
      300_000,
    );
    const survivor = workers.find((worker) => worker !== victim)!;
    const marker = `kill-marker-${randomSuffix()}`;
    victim!.kill("SIGKILL");
    await victim!.exited;
    // A create event in dockerd's own stream marks the moment of the kill among the items' events.
    await dockerCli(["create", "--name", marker, "--network", "none", images.a.digestRef]);
    await terminal(operationId, 1_200_000);
    const recorded = await recording.stop(images.a.digestRef);
    await dockerCli(["rm", "-f", marker]);

    expect(await operationOf(operationId)).toMatchObject({ status: "succeeded", succeeded: WORKSPACES, failed: 0 });
    expect(await db().auditLog.count({ where: { targetId: operationId, action: "operation.finished" } })).toBe(1);
    const events = recorded.filter(
      (event) => event.workspaceId === undefined || ids.includes(event.workspaceId) || event.name === marker,
    );
    const creates = new Map<string, number>();
    for (const event of events)
      if (event.action === "create" && event.workspaceId)
        creates.set(event.workspaceId, (creates.get(event.workspaceId) ?? 0) + 1);
    expect(ids.map((id) => creates.get(id) ?? 0)).toEqual(ids.map(() => 1));
    for (const id of ids) {
      expect(await inspectRaw(containerName(id)), id).toMatchObject({
        State: { Running: true },
        Config: { Image: images.b.digestRef },
      });
      expect(await db().workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "online",
        runtimeImageDigest: images.b.digest,
        lockedBy: null,
        swapState: null,
      });
    }
    // The killed worker's item came back through its job's heartbeat and the survivor finished it.
    expect(countOccurrences(survivor.output(), '"event":"item_taken_over"')).toBeGreaterThan(0);
    expect(maxInFlight(events, spanning(events, marker))).toBeGreaterThan(0);
    expect(maxInFlight(events, spanning(events, marker))).toBeLessThanOrEqual(HOST_LIMIT);
  }, 1_800_000);

  it("cancels from another process: the worker starts nothing after the cancel, the rest is cancelled untouched", async () => {
    const ids = await provisionOnA(6, "cancel");
    if (workers.every((worker) => worker.child.exitCode !== null || worker.child.signalCode !== null))
      workers.push(await startWorkerProcess(workerEnv()));
    const since = await daemonTime();
    const { operationId } = await enqueueReprovision(
      db(),
      { workspaceIds: ids, concurrency: 1, reason: "cancel test" },
      "olga@example.com",
    );
    await queueOperation(operationId, { db: db(), env: workerEnv() });
    await waitFor(
      async () => (await db().operationItem.count({ where: { operationId, status: "succeeded" } })) >= 1,
      "one item to succeed",
      300_000,
    );
    await cancelOperation(db(), operationId, "bob@example.com");
    await terminal(operationId, 300_000);
    const until = await daemonTime();

    const operation = await operationOf(operationId);
    expect(operation).toMatchObject({ status: "cancelled", failed: 0, cancelledBy: "bob@example.com" });
    const items = await db().operationItem.findMany({ where: { operationId } });
    const succeeded = items.filter((item) => item.status === "succeeded").map((item) => item.workspaceId);
    const cancelled = items.filter((item) => item.status === "cancelled").map((item) => item.workspaceId);
    expect(succeeded.length + cancelled.length).toBe(6);
    expect(cancelled.length).toBeGreaterThan(0);
    // dockerd saw a new container for exactly the items that ran, none for a cancelled one.
    const created = new Set(
      (await containerEvents(since, until))
        .filter((event) => event.action === "create")
        .map((event) => event.workspaceId),
    );
    for (const id of succeeded) expect(created.has(id)).toBe(true);
    for (const id of cancelled) {
      expect(created.has(id)).toBe(false);
      expect(await inspectRaw(containerName(id))).toMatchObject({
        State: { Running: true },
        Config: { Image: images.a.digestRef },
      });
    }
    expect(await db().auditLog.count({ where: { targetId: operationId, action: "operation.finished" } })).toBe(1);
  }, 600_000);
});
