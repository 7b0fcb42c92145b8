// Operations run through the job queue (pg-boss) in this process, on both backends: the items
// of an operation are jobs, the operation's rows stay the record.
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import type { ReprovisionWorker } from "@/lib/operations/run-operation";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  inspectRaw,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { removeLocalImage, type PushedImage } from "@/test/images";
import { waitFor } from "@/test/wait-for";

import { queueOperation } from "./queue-operation";
import { workOperationQueues } from "./work-operations";

const ACTOR = "olga@example.com";
const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const servicesUp = dockerServicesAvailable();

describe.each(availableBackends())("operations on the job queue on %s", (backend) => {
  let database: TestDatabase;
  const db = () => database.db;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterEach(async () => {
    await stopJobs();
  });
  afterAll(async () => {
    await database?.close();
  });

  const terminal = (operationId: string) =>
    waitFor(
      async () =>
        !["queued", "running"].includes(
          (await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status,
        ),
      "the operation to end",
      120_000,
    );

  async function staleWorkspaces(count: number, prefix: string): Promise<string[]> {
    await db().runtimeImagePin.upsert({
      where: { templateName: "hermes" },
      create: { templateName: "hermes", digest: A },
      update: { digest: A },
    });
    const rows = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
      SELECT ${prefix} || '-' || g, 'hermes', ${B}, 'online' FROM generate_series(1, ${count}) g RETURNING id::text AS id`;
    return rows.map((row) => row.id);
  }

  it("holds the operation's concurrency across the queue's workers, and cancels what has not started", async () => {
    const ids = await staleWorkspaces(6, `cancel-${randomSuffix()}`);
    let inFlight = 0;
    let peak = 0;
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker: ReprovisionWorker = async (workspaceId) => {
      started.push(workspaceId);
      peak = Math.max(peak, ++inFlight);
      await gate;
      inFlight--;
      return {
        workspaceId,
        image: `r/workspace-template-hermes@${A}`,
        fromDigest: B,
        toDigest: A,
        containerId: "c",
        containerName: "n",
      };
    };
    await startJobs(database);
    await workOperationQueues({
      db: db(),
      reprovision: worker,
      env: { FLEETPIN_HOST_CONCURRENCY: "4" },
      pollingIntervalSeconds: 0.5,
    });
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids, concurrency: 2 }, ACTOR);
    expect(await queueOperation(operationId, { db: db(), env: { FLEETPIN_HOST_CONCURRENCY: "4" } })).toBe(6);

    await waitFor(async () => started.length === 2, "two items to start");
    await sleep(1500); // a third item would have been fetched by now if the slots let it
    expect(started).toHaveLength(2);
    await cancelOperation(db(), operationId, "bob@example.com");
    release();
    await terminal(operationId);

    expect(peak).toBe(2);
    const operation = await db().operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(operation).toMatchObject({ status: "cancelled", succeeded: 2, failed: 0, cancelledBy: "bob@example.com" });
    expect(await db().operationItem.count({ where: { operationId, status: "cancelled" } })).toBe(4);
    expect(await db().auditLog.count({ where: { targetId: operationId, action: "operation.finished" } })).toBe(1);
  }, 120_000);

  describe.runIf(servicesUp)("with the real dockerd", () => {
    const namespace = testNamespace("queue");
    const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "2", FLEETPIN_HEALTH_SETTLE_SECONDS: "0" });
    const workspaceIds: string[] = [];
    let oldImage: PushedImage;
    let newImage: PushedImage;
    beforeAll(async () => {
      oldImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `old-${randomSuffix()}` });
      newImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `new-${randomSuffix()}` });
    }, 120_000);
    afterAll(async () => {
      for (const id of workspaceIds) await removeWorkspaceArtifacts(id);
      if (newImage) await removeLocalImage(newImage.digestRef);
    });

    it("runs every item as a job; the operation ends once, with its counters and one audit row", async () => {
      await db().runtimeImagePin.deleteMany();
      await db()
        .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${newImage.digest}), ('retired-runtime', ${newImage.digest})`;
      const rows = await db().$queryRaw<{ id: string }[]>`
        INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
        SELECT 'queue-' || g || '-' || ${randomSuffix()}, CASE WHEN g = 4 THEN 'retired-runtime' ELSE 'hermes' END, ${oldImage.digest}, 'offline'
        FROM generate_series(1, 4) g RETURNING id::text AS id`;
      workspaceIds.push(...rows.map((row) => row.id));
      await startJobs(database);
      await workOperationQueues({ db: db(), docker: createDockerClient(), env, pollingIntervalSeconds: 0.5 });
      const { operationId } = await enqueueReprovision(
        db(),
        { workspaceIds: rows.map((row) => row.id), concurrency: 2, reason: "new release" },
        ACTOR,
      );
      expect(await queueOperation(operationId, { db: db(), env })).toBe(4);
      // Queued again (a restart's resume): nothing is sent twice.
      expect(await queueOperation(operationId, { db: db(), env })).toBe(0);
      await terminal(operationId);

      expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({
        status: "partially_failed",
        succeeded: 3,
        failed: 1,
      });
      const items = await db().operationItem.findMany({
        where: { operationId },
        include: { workspace: { select: { runtime: true } } },
      });
      const [retired, ...rest] = [...items].sort((a, b) =>
        a.workspace.runtime === "retired-runtime" ? -1 : b.workspace.runtime === "retired-runtime" ? 1 : 0,
      );
      expect(retired).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/retired-runtime.*has no template image/),
      });
      for (const item of rest) {
        expect(item).toMatchObject({ status: "succeeded", fromDigest: oldImage.digest, toDigest: newImage.digest });
        expect(await inspectRaw(containerName(item.workspaceId))).toMatchObject({
          State: { Running: true },
          Config: { Image: newImage.digestRef },
        });
      }
      const finished = await db().auditLog.findMany({ where: { targetId: operationId, action: "operation.finished" } });
      expect(finished).toHaveLength(1);
      expect(finished[0]?.after).toMatchObject({ status: "partially_failed", succeeded: 3, failed: 1 });
      expect(await db().workspace.count({ where: { lockedBy: { not: null } } })).toBe(0);
    }, 180_000);
  });
});
