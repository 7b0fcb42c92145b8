import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { ACTOR, useOperationsDatabase } from "@/test/operation-fixtures";

import { enqueueReprovision } from "./enqueue-reprovision";
import { enqueueSync } from "./enqueue-sync";
import { getOperationProgress } from "./get-operation-progress";
import { INTERRUPTED_ERROR, recoverInterruptedOperations } from "./recover-interrupted-operations";

describe.each(availableBackends())("recoverInterruptedOperations on %s", (backend) => {
  const { db, seed, items } = useOperationsDatabase(backend);

  it("fails the unfinished items of operations a dead process left, releases their locks and closes them", async () => {
    const ids = await seed([
      { name: "done" },
      { name: "mid-run" },
      { name: "waiting" },
      { name: "never-started" },
      { name: "to-cancel" },
    ]);
    const running = await enqueueReprovision(db(), { workspaceIds: ids.slice(0, 3) }, ACTOR);
    const queued = await enqueueReprovision(db(), { workspaceIds: [ids[3]!] }, ACTOR);
    const cancelling = await enqueueReprovision(db(), { workspaceIds: [ids[4]!] }, ACTOR);
    const [done, midRun] = await db().operationItem.findMany({
      where: { operationId: running.operationId },
      orderBy: { id: "asc" },
    });
    await db().operationItem.update({ where: { id: done!.id }, data: { status: "succeeded" } });
    await db().operationItem.update({ where: { id: midRun!.id }, data: { status: "running" } });
    await db().workspace.update({
      where: { id: ids[1] },
      data: { lockedBy: midRun!.id.toString(), lockedAt: new Date() },
    });
    await db().workspace.update({ where: { id: ids[0] }, data: { lockedBy: "someone-else", lockedAt: new Date() } });
    await db().operation.update({ where: { id: running.operationId }, data: { status: "running", succeeded: 1 } });
    await db().operation.update({
      where: { id: cancelling.operationId },
      data: { status: "running", cancelRequested: true },
    });
    const finished = await enqueueSync(db(), ACTOR);
    await db().operation.update({ where: { id: finished.operationId }, data: { status: "succeeded" } });

    const closed = await recoverInterruptedOperations(db());

    expect(new Set(closed)).toEqual(new Set([running.operationId, queued.operationId, cancelling.operationId]));
    expect(await getOperationProgress(db(), running.operationId)).toMatchObject({
      status: "partially_failed",
      succeeded: 1,
      failed: 2,
      queued: 0,
      running: 0,
      percent: 100,
      error: INTERRUPTED_ERROR,
    });
    expect((await items(running.operationId)).map((item) => [item.status, item.error])).toEqual([
      ["succeeded", null],
      ["failed", INTERRUPTED_ERROR],
      ["failed", INTERRUPTED_ERROR],
    ]);
    expect(await getOperationProgress(db(), queued.operationId)).toMatchObject({ status: "failed", failed: 1 });
    expect(await getOperationProgress(db(), cancelling.operationId)).toMatchObject({ status: "cancelled" });
    expect(await getOperationProgress(db(), finished.operationId)).toMatchObject({ status: "succeeded", error: null });
    // Only the lock the interrupted item held is released.
    expect((await db().workspace.findUniqueOrThrow({ where: { id: ids[1] } })).lockedBy).toBeNull();
    expect((await db().workspace.findUniqueOrThrow({ where: { id: ids[0] } })).lockedBy).toBe("someone-else");
    expect(await db().auditLog.count({ where: { action: "operation.interrupted" } })).toBe(3);
    expect(await recoverInterruptedOperations(db())).toEqual([]);
  });
});
