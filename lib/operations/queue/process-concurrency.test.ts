// One process works every slot of every registered host at once (the per-host limit is the slot
// keys' job, not the process's), and takes on a newly registered host's slots without a restart.
// The items' reprovision is a stub that holds each item until the test has seen how many run at
// once: if the process ran fewer, the wait below would time out.
import { describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startJobs } from "@/lib/jobs/runner";
import type { ReprovisionWorker } from "@/lib/operations/run-operation";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { availableBackends } from "@/test/databases";
import { JOBS_PIN, JOBS_STALE, useJobsDatabase } from "@/test/jobs-database";
import { waitFor } from "@/test/wait-for";

import { queueOperation } from "./queue-operation";
import { workOperationQueues } from "./work-operations";

const A = JOBS_PIN;
const B = JOBS_STALE;
const ENV = { FLEETPIN_HOST_CONCURRENCY: "2" };

describe.each(availableBackends())("item workers of one process on %s", (backend) => {
  const { db, database } = useJobsDatabase(backend);

  async function registerHost(name: string): Promise<void> {
    await db().dockerHost.create({
      data: { name, endpoint: `tcp://${name}.invalid:2376`, concurrency: 2, createdBy: "test" },
    });
  }

  async function queueOver(hosts: string[], perHost: number): Promise<string> {
    const ids: string[] = [];
    for (const host of hosts) {
      const rows = await db().$queryRaw<{ id: string }[]>`
        INSERT INTO workspaces (name, runtime, runtime_image_digest, status, host)
        SELECT 'slots-' || gen_random_uuid(), 'hermes', ${B}, 'online', ${host}
        FROM generate_series(1, ${perHost}) g RETURNING id::text AS id`;
      ids.push(...rows.map((row) => row.id));
    }
    const { operationId } = await enqueueReprovision(
      db(),
      { workspaceIds: ids, concurrency: 32 },
      "olga@example.com",
      ENV,
    );
    await queueOperation(operationId, { db: db(), env: ENV });
    return operationId;
  }

  it("runs every host's slots at once, and grows when a host is registered", async () => {
    let running = 0;
    let peak = 0;
    let release: () => void = () => undefined;
    let released = new Promise<void>((resolve) => (release = resolve));
    const worker: ReprovisionWorker = async (workspaceId) => {
      running++;
      peak = Math.max(peak, running);
      await released;
      running--;
      return { workspaceId, image: "r@" + A, fromDigest: B, toDigest: A, containerId: "c", containerName: "n" };
    };
    for (const host of ["h1", "h2", "h3"]) await registerHost(host);
    await startJobs(database());
    await workOperationQueues({
      db: db(),
      docker: createDockerClient(),
      reprovision: worker,
      env: ENV,
      pollingIntervalSeconds: 0.5,
      growIntervalMs: 300,
    });

    const first = await queueOver(["h1", "h2", "h3"], 3);
    await waitFor(async () => running === 6, "three hosts × two slots running at once");
    release();
    await waitFor(async () => (await status(first)) === "succeeded", "the first operation to succeed");
    // Never more than the slots: each host's third item waited for a slot of its host.
    expect(peak).toBe(6);

    released = new Promise<void>((resolve) => (release = resolve));
    await registerHost("h4");
    const second = await queueOver(["h1", "h2", "h3", "h4"], 3);
    await waitFor(async () => running === 8, "four hosts × two slots running at once");
    release();
    await waitFor(async () => (await status(second)) === "succeeded", "the second operation to succeed");
    expect(peak).toBe(8);
  });

  async function status(operationId: string): Promise<string> {
    return (await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status;
  }
});
