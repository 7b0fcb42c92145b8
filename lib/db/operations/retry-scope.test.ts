import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { ACTOR, NO_SUCH_ID, useOperationsDatabase } from "@/test/operation-fixtures";

import { enqueueReprovision } from "./enqueue-reprovision";
import { enqueueSync } from "./enqueue-sync";
import { getOperationProgress } from "./get-operation-progress";

describe.each(availableBackends())("retry failed (enqueueReprovision with retryOf) on %s", (backend) => {
  const { db, items, operationWith } = useOperationsDatabase(backend);

  /** A finished operation over ws-0…ws-n with these item statuses. */
  async function finished(statuses: Parameters<typeof operationWith>[0]) {
    const made = await operationWith(statuses);
    await db().operation.update({
      where: { id: made.operationId },
      data: { status: "partially_failed", finishedAt: new Date() },
    });
    return made;
  }

  it("queues exactly the failed workspaces, linked to the original, with its audit row", async () => {
    const { operationId, ids } = await finished(["succeeded", "failed", "cancelled", "failed", "failed"]);
    await db().workspace.update({ where: { id: ids[4] }, data: { status: "removed" } });

    const retry = await enqueueReprovision(
      db(),
      { retryOf: operationId, reason: "registry is back" },
      "bob@example.com",
    );

    expect(retry).toMatchObject({ total: 2, queued: 2, skipped: 0 });
    expect((await items(retry.operationId)).map((item) => [item.workspaceId, item.status])).toEqual([
      [ids[1], "queued"],
      [ids[3], "queued"],
    ]);
    expect(await db().operation.findUniqueOrThrow({ where: { id: retry.operationId } })).toMatchObject({
      kind: "bulk_reprovision",
      retryOf: operationId,
      templateName: "hermes",
      requestedBy: "bob@example.com",
      reason: "registry is back",
    });
    expect((await getOperationProgress(db(), operationId))?.retriedBy).toEqual([retry.operationId]);
    expect((await getOperationProgress(db(), retry.operationId))?.retryOf).toBe(operationId);
    const [audit] = (await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows;
    expect(audit).toMatchObject({
      actor: "bob@example.com",
      targetId: retry.operationId,
      after: { retryOf: operationId, total: 2 },
    });
  });

  it("retries a single failure as a one-workspace reprovision", async () => {
    const { operationId, ids } = await finished(["succeeded", "failed"]);

    const retry = await enqueueReprovision(db(), { retryOf: operationId }, ACTOR);

    expect(await items(retry.operationId)).toEqual([{ workspaceId: ids[1], status: "queued", error: null }]);
    expect(await db().operation.findUniqueOrThrow({ where: { id: retry.operationId } })).toMatchObject({
      kind: "reprovision",
    });
  });

  it("skips a failed workspace another operation already has (one run per workspace)", async () => {
    const { operationId, ids } = await finished(["failed", "failed"]);
    const other = await enqueueReprovision(db(), { workspaceIds: [ids[0]!] }, ACTOR);

    const retry = await enqueueReprovision(db(), { retryOf: operationId }, ACTOR);

    expect(retry).toMatchObject({
      total: 2,
      queued: 1,
      skipped: 1,
      skippedWorkspaces: [
        { workspaceId: ids[0], reason: `skipped: already queued or running in operation ${other.operationId}` },
      ],
    });
    // Retrying twice while the first retry is queued: nothing left to queue.
    await expect(enqueueReprovision(db(), { retryOf: operationId }, ACTOR)).rejects.toThrow(
      /all 2 failed workspaces of that operation are already queued or running/,
    );
  });

  it.each<[string, () => Promise<string>, abstract new (...args: never[]) => Error, RegExp]>([
    ["an unknown operation", async () => NO_SUCH_ID, NotFoundError, /not found/],
    ["a malformed id", async () => "op-1", NotFoundError, /not found/],
    [
      "a running operation",
      async () => (await operationWith(["failed", "running"])).operationId,
      ConflictError,
      /still running/,
    ],
    [
      "an operation without failures",
      async () => (await finished(["succeeded", "cancelled"])).operationId,
      ValidationError,
      /no workspace failed/,
    ],
    [
      "a sync",
      async () => (await enqueueSync(db(), ACTOR)).operationId,
      ValidationError,
      /sync has no per-workspace items/,
    ],
  ])("refuses %s and records nothing", async (_name, target, type, message) => {
    const id = await target();
    const before = await db().operation.count();

    const attempt = enqueueReprovision(db(), { retryOf: id }, ACTOR);

    await expect(attempt).rejects.toBeInstanceOf(type);
    await expect(enqueueReprovision(db(), { retryOf: id }, ACTOR)).rejects.toThrow(message);
    expect(await db().operation.count()).toBe(before);
  });
});
