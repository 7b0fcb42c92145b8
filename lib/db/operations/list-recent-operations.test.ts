import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { ACTOR, useOperationsDatabase } from "@/test/operation-fixtures";

import { enqueueSync } from "./enqueue-sync";
import { listRecentOperations } from "./list-recent-operations";

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
