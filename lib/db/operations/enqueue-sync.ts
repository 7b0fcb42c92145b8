import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";

/** Records a queued "sync from Docker" operation and its audit row. */
export async function enqueueSync(db: Db, actor: string): Promise<{ operationId: string }> {
  return db.$transaction(async (tx) => {
    const operation = await tx.operation.create({ data: { kind: "sync", requestedBy: actor, concurrency: 1 } });
    await recordAudit(tx, {
      actor,
      action: "operation.sync_requested",
      targetType: "operation",
      targetId: operation.id,
      after: { kind: "sync" },
    });
    return { operationId: operation.id };
  });
}
