import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { operationEndEvent } from "@/lib/domain/webhook-events";
import { Prisma, type OperationStatus } from "@/lib/generated/prisma/client";

import { failUnfinishedItems } from "./fail-unfinished-items";
import { ACTIVE_OPERATION_STATUSES, finalStatus, isActiveOperationStatus } from "./operation-status";

/** The error recorded on items and operations that a process exit cut short. */
export const INTERRUPTED_ERROR = "interrupted by a restart";

/**
 * On process start: operations a previous process left queued or running will
 * never be finished by it. Their unfinished items fail with INTERRUPTED_ERROR,
 * the workspace locks those items held are released, counters are recounted and
 * the operation gets its final status. Returns the ids it closed.
 * Assumes one Fleetpin process per database (the PGlite default guarantees it), unless `only`
 * names the operations nobody runs any more (lib/operations/queue/resume-operations.ts).
 */
export async function recoverInterruptedOperations(db: Db, only?: readonly string[]): Promise<string[]> {
  const open = await db.operation.findMany({
    where: { status: { in: [...ACTIVE_OPERATION_STATUSES] }, ...(only ? { id: { in: [...only] } } : {}) },
    select: { id: true },
  });
  const closed: string[] = [];
  for (const { id } of open) {
    const done = await db.$transaction(async (tx) => {
      // Raw: FOR UPDATE: a live runner's finish and this recovery cannot both close the operation.
      const [row] = await tx.$queryRaw<{ status: OperationStatus; cancel_requested: boolean; requested_by: string }[]>`
        SELECT status::text AS status, cancel_requested, requested_by FROM operations WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row || !isActiveOperationStatus(row.status)) return false;
      const { items: interrupted, counters } = await failUnfinishedItems(tx, id, INTERRUPTED_ERROR);
      if (interrupted.length > 0) {
        // reprovisionWorkspace locks a workspace with its operation item id as the token.
        await tx.$executeRaw`
          UPDATE workspaces SET locked_by = NULL, locked_at = NULL
          WHERE locked_by IN (${Prisma.join(interrupted.map((item) => item.id))})`;
      }
      const status = row.cancel_requested ? "cancelled" : finalStatus(counters.succeeded, counters.failed);
      // Raw: now() on the database clock, like every timestamp of the operation lifecycle.
      await tx.$executeRaw`
        UPDATE operations SET status = ${status}::operation_status, error = ${INTERRUPTED_ERROR}, finished_at = now()
        WHERE id = ${id}::uuid`;
      await recordAudit(tx, {
        actor: "system",
        action: "operation.interrupted",
        targetType: "operation",
        targetId: id,
        reason: INTERRUPTED_ERROR,
        before: { status: row.status },
        after: { status, interruptedItems: interrupted.length, ...counters },
      });
      await recordEvent(tx, operationEndEvent(status), {
        operation_id: id,
        status,
        ...counters,
        error: INTERRUPTED_ERROR,
        actor: "system",
      });
      return true;
    });
    if (done) closed.push(id);
  }
  return closed;
}
