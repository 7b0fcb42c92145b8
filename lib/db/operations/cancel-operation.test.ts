import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import { NotFoundError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { ACTOR, NO_SUCH_ID, useOperationsDatabase } from "@/test/operation-fixtures";

import { cancelOperation } from "./cancel-operation";
import { enqueueReprovision } from "./enqueue-reprovision";
import { getOperationProgress } from "./get-operation-progress";

describe.each(availableBackends())("cancelOperation on %s", (backend) => {
  const { db, seed } = useOperationsDatabase(backend);

  it("cancels a queued operation at once", async () => {
    const ids = await seed([{ name: "a" }, { name: "b" }]);
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);

    expect(await cancelOperation(db(), operationId, "bob@example.com")).toEqual({
      operationId,
      status: "cancelled",
      cancelRequested: true,
    });

    const progress = await getOperationProgress(db(), operationId);
    expect(progress).toMatchObject({
      status: "cancelled",
      cancelRequested: true,
      cancelled: 2,
      queued: 0,
      percent: 100,
    });
    expect(progress?.finishedAt).toBeInstanceOf(Date);
    expect(progress).toMatchObject({ cancelledBy: "bob@example.com", cancelledAt: expect.any(Date) });
    expect(progress?.items.map((item) => [item.status, item.outcome])).toEqual([
      ["cancelled", "not started: the operation was cancelled; the workspace was not touched"],
      ["cancelled", "not started: the operation was cancelled; the workspace was not touched"],
    ]);
    expect((await listAuditEntries(db(), { action: "operation.cancel_requested" })).rows[0]).toMatchObject({
      actor: "bob@example.com",
      before: { status: "queued" },
      after: { status: "cancelled", cancelRequested: true },
    });
    await expect(cancelOperation(db(), operationId, "bob@example.com")).rejects.toThrow(
      /already finished \(cancelled\)/,
    );
  });

  it("only flags a running operation (the runner stops between items), once", async () => {
    const ids = await seed([{ name: "a" }]);
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);
    await db().operation.update({ where: { id: operationId }, data: { status: "running" } });

    await cancelOperation(db(), operationId, "bob@example.com");
    const first = await getOperationProgress(db(), operationId);
    await cancelOperation(db(), operationId, ACTOR);

    // The first request is the record: who asked, and when; the second changes nothing.
    expect(await getOperationProgress(db(), operationId)).toMatchObject({
      status: "running",
      cancelRequested: true,
      queued: 1,
      cancelledBy: "bob@example.com",
      cancelledAt: first?.cancelledAt,
    });
    expect(await db().auditLog.count({ where: { action: "operation.cancel_requested" } })).toBe(1);
  });

  it("does not know an unknown operation", async () => {
    await expect(cancelOperation(db(), NO_SUCH_ID, ACTOR)).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelOperation(db(), "nope", ACTOR)).rejects.toBeInstanceOf(NotFoundError);
  });
});
