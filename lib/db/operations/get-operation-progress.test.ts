import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { ACTOR, NO_SUCH_ID, useOperationsDatabase } from "@/test/operation-fixtures";

import { getOperationProgress } from "./get-operation-progress";

describe.each(availableBackends())("getOperationProgress on %s", (backend) => {
  const { db, operationWith } = useOperationsDatabase(backend);

  it("counts items by status and lists failures first", async () => {
    const { operationId, ids } = await operationWith([
      "succeeded",
      "failed",
      "running",
      "queued",
      "failed",
      "succeeded",
      "queued",
      "queued",
    ]);

    const progress = await getOperationProgress(db(), operationId);

    expect(progress).toMatchObject({
      total: 8,
      succeeded: 2,
      failed: 2,
      running: 1,
      queued: 3,
      cancelled: 0,
      percent: 50,
      itemsOmitted: 0,
      requestedBy: ACTOR,
    });
    expect(progress?.items.map((item) => [item.workspaceName, item.status, item.error])).toEqual([
      ["ws-1", "failed", "boom 1"],
      ["ws-4", "failed", "boom 4"],
      ["ws-2", "running", null],
      ["ws-0", "succeeded", null],
      ["ws-3", "queued", null],
      ["ws-5", "succeeded", null],
      ["ws-6", "queued", null],
      ["ws-7", "queued", null],
    ]);
    expect(progress?.items[0]?.workspaceId).toBe(ids[1]);
  });

  it("caps the item list but never drops a failure in favour of others", async () => {
    const { operationId } = await operationWith(["succeeded", "succeeded", "failed", "succeeded", "failed"]);

    const progress = await getOperationProgress(db(), operationId, { itemLimit: 2 });

    expect(progress?.items.map((item) => item.status)).toEqual(["failed", "failed"]);
    expect(progress?.itemsOmitted).toBe(3);
  });

  it("is null for an unknown or malformed id", async () => {
    expect(await getOperationProgress(db(), NO_SUCH_ID)).toBeNull();
    expect(await getOperationProgress(db(), "x")).toBeNull();
  });
});
