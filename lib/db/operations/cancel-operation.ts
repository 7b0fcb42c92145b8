import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import type { OperationStatus } from "@/lib/generated/prisma/client";

import { CANCELLED_ITEM_OUTCOME } from "./item-outcomes";
import { isActiveOperationStatus } from "./operation-status";

/**
 * Asks an operation to stop. A queued one is cancelled at once; a running one
 * finishes the items already running and cancels the rest (the runner checks the
 * flag between items). The first request records who asked and when (cancelled_by,
 * cancelled_at) with its audit row, in one transaction, even when every item has already
 * started and nothing is left to cancel. Asking twice is harmless; a finished operation is a ConflictError.
 */
export async function cancelOperation(
  db: Db,
  operationId: string,
  actor: string,
): Promise<{ operationId: string; status: OperationStatus; cancelRequested: true }> {
  if (!isUuid(operationId)) throw new NotFoundError(`Operation ${operationId} not found.`);
  return db.$transaction(async (tx) => {
    // Raw: FOR UPDATE: the claim and the runner's finish wait for this cancel (the model API cannot lock a row).
    const [row] = await tx.$queryRaw<{ status: OperationStatus; cancel_requested: boolean }[]>`
      SELECT status::text AS status, cancel_requested FROM operations WHERE id = ${operationId}::uuid FOR UPDATE`;
    if (!row) throw new NotFoundError(`Operation ${operationId} not found.`);
    if (!isActiveOperationStatus(row.status)) {
      throw new ConflictError(
        `The operation already finished (${row.status.replace("_", " ")}); there is nothing to cancel.`,
      );
    }
    if (row.cancel_requested) return { operationId, status: row.status, cancelRequested: true as const };

    let status: OperationStatus = row.status;
    if (row.status === "queued") {
      // Not claimed by a runner yet (the claim is a conditional UPDATE on status = 'queued'), so nothing will run.
      await tx.$executeRaw`
        UPDATE operation_items SET status = 'cancelled', outcome = ${CANCELLED_ITEM_OUTCOME}, finished_at = now()
        WHERE operation_id = ${operationId}::uuid AND status = 'queued'`;
      // Raw: now() on the database clock, like every timestamp of the operation lifecycle.
      await tx.$executeRaw`
        UPDATE operations SET status = 'cancelled', cancel_requested = true, cancelled_by = ${actor}, cancelled_at = now(), finished_at = now()
        WHERE id = ${operationId}::uuid`;
      status = "cancelled";
    } else {
      // Raw: now() on the database clock, like every timestamp of the operation lifecycle.
      await tx.$executeRaw`
        UPDATE operations SET cancel_requested = true, cancelled_by = ${actor}, cancelled_at = now() WHERE id = ${operationId}::uuid`;
    }
    await recordAudit(tx, {
      actor,
      action: "operation.cancel_requested",
      targetType: "operation",
      targetId: operationId,
      before: { status: row.status },
      after: { status, cancelRequested: true },
    });
    // A queued operation ends here; a running one ends in its runner, which emits then.
    if (status === "cancelled")
      await recordEvent(tx, "operation.finished", { operation_id: operationId, status, actor });
    return { operationId, status, cancelRequested: true as const };
  });
}
