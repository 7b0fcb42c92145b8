import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import { availableBackends } from "@/test/databases";
import { ACTOR, useOperationsDatabase } from "@/test/operation-fixtures";

import { enqueueSync } from "./enqueue-sync";
import { getOperationProgress } from "./get-operation-progress";

describe.each(availableBackends())("enqueueSync on %s", (backend) => {
  const { db } = useOperationsDatabase(backend);

  it("enqueues a sync with its audit row", async () => {
    const { operationId } = await enqueueSync(db(), ACTOR);

    expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({
      kind: "sync",
      status: "queued",
      total: 0,
    });
    expect((await listAuditEntries(db(), {})).rows[0]).toMatchObject({
      action: "operation.sync_requested",
      targetId: operationId,
    });
    expect(await getOperationProgress(db(), operationId)).toMatchObject({
      kind: "sync",
      total: 0,
      percent: 0,
      items: [],
    });
  });
});
