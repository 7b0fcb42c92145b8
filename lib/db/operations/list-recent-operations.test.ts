import { describe, expect, it } from "vitest";

import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { listRecentOperations } from "@/lib/db/operations/list-recent-operations";
import { availableBackends } from "@/test/databases";
import { ACTOR, useOperationsDatabase } from "@/test/operation-fixtures";

describe.each(availableBackends())("listRecentOperations on %s", (backend) => {
  const { db, operationWith } = useOperationsDatabase(backend);

  it("lists recent operations newest first with their counters", async () => {
    const { operationId } = await operationWith(["succeeded", "queued"]);
    const sync = await enqueueSync(db(), ACTOR);

    const recent = await listRecentOperations(db(), 10);

    expect(recent.map((operation) => operation.id)).toEqual([sync.operationId, operationId]);
    expect(recent[1]).toMatchObject({ succeeded: 1, queued: 1, percent: 50 });
    expect(recent[1]).not.toHaveProperty("items");
  });
});
