// Start-up with the job queue: an operation still run by jobs is left running (its missing jobs
// sent), a queued one that never got its jobs gets them, and only one nobody runs is closed.
import { describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { INTERRUPTED_ERROR } from "@/lib/db/operations/recover-interrupted-operations";
import { jobState, startJobs } from "@/lib/jobs/runner";
import type { ReprovisionWorker } from "@/lib/operations/run-operation";
import { availableBackends } from "@/test/databases";
import { JOBS_PIN, JOBS_STALE, useJobsDatabase } from "@/test/jobs-database";
import { waitFor } from "@/test/wait-for";

import { jobIdFor, queueOperation } from "./queue-operation";
import { resumeOperations } from "./resume-operations";
import { workOperationQueues } from "./work-operations";

const A = JOBS_PIN;
const B = JOBS_STALE;

describe.each(availableBackends())("resumeOperations on %s", (backend) => {
  const { db, database } = useJobsDatabase(backend);

  async function operationOf(count: number): Promise<string> {
    const rows = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
      SELECT 'resume-' || gen_random_uuid(), 'hermes', ${B}, 'online' FROM generate_series(1, ${count}) g RETURNING id::text AS id`;
    return (await enqueueReprovision(db(), { workspaceIds: rows.map((row) => row.id) }, "olga@example.com"))
      .operationId;
  }

  it("sends the jobs of a queued operation that never got them, then the workers run it", async () => {
    await startJobs(database());
    const operationId = await operationOf(2);
    const items = await db().operationItem.findMany({ where: { operationId } });
    expect(await jobState("operations.item", jobIdFor(`item:${items[0]!.id}`))).toBeNull();

    expect(await resumeOperations(db())).toEqual({ resumed: [operationId], closed: [] });
    for (const item of items) expect(await jobState("operations.item", jobIdFor(`item:${item.id}`))).toBe("created");
    const worker: ReprovisionWorker = async (workspaceId) => ({
      workspaceId,
      image: "r@" + A,
      fromDigest: B,
      toDigest: A,
      containerId: "c",
      containerName: "n",
    });
    await workOperationQueues({ db: db(), reprovision: worker });
    await waitFor(
      async () => (await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status === "succeeded",
      "the resumed operation to succeed",
    );
  });

  it("leaves a running operation with live jobs alone, and closes one whose run nobody carries on", async () => {
    await startJobs(database());
    const live = await operationOf(1);
    await queueOperation(live, { db: db() });
    await db().operation.update({ where: { id: live }, data: { status: "running" } });
    // An operation a dead process was running in-process (no jobs): its item holds its workspace's lock.
    const dead = await operationOf(1);
    const [item] = await db().operationItem.findMany({ where: { operationId: dead } });
    await db().operation.update({ where: { id: dead }, data: { status: "running" } });
    await db().operationItem.update({ where: { id: item!.id }, data: { status: "running" } });
    await db().workspace.update({
      where: { id: item!.workspaceId },
      data: { lockedBy: String(item!.id), lockedAt: new Date() },
    });

    expect(await resumeOperations(db())).toEqual({ resumed: [live], closed: [dead] });
    expect(await db().operation.findUniqueOrThrow({ where: { id: live } })).toMatchObject({ status: "running" });
    expect(await db().operation.findUniqueOrThrow({ where: { id: dead } })).toMatchObject({
      status: "failed",
      error: INTERRUPTED_ERROR,
    });
    expect(await db().workspace.findUniqueOrThrow({ where: { id: item!.workspaceId } })).toMatchObject({
      lockedBy: null,
    });
  });
});
