import "server-only";

import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import { Prisma } from "@/lib/generated/prisma/client";

import type { Scope } from "./bulk-scopes";
import { isActiveOperationStatus } from "./operation-status";

/**
 * The failed workspaces of a finished reprovision operation, as the scope of its retry
 * (removed workspaces left out). The original must have finished: while it runs, its
 * failures are not final. FOR SHARE keeps it from changing until the retry is recorded.
 */
export async function retryScope(tx: Prisma.TransactionClient, operationId: string): Promise<Scope> {
  if (!isUuid(operationId)) throw new NotFoundError(`Operation ${operationId} not found.`);
  // Raw: FOR SHARE keeps the operation as read while the retry is recorded; the model API cannot lock.
  const [original] = await tx.$queryRaw<
    { status: string; kind: string; template_name: string | null; failed: number }[]
  >`
    SELECT o.status::text AS status, o.kind, o.template_name,
           (SELECT count(*)::int FROM operation_items i WHERE i.operation_id = o.id AND i.status = 'failed') AS failed
    FROM operations o WHERE o.id = ${operationId}::uuid FOR SHARE`;
  if (!original) throw new NotFoundError(`Operation ${operationId} not found.`);
  if (original.kind === "sync")
    throw new ValidationError("A sync has no per-workspace items to retry; run Sync from Docker again.");
  if (isActiveOperationStatus(original.status)) {
    throw new ConflictError("The operation is still running; retry its failures once it has finished.");
  }
  if (original.failed === 0) throw new ValidationError("Nothing to retry: no workspace failed in that operation.");
  return {
    kind: original.failed === 1 ? "reprovision" : "bulk_reprovision",
    templateName: original.template_name,
    retryOf: operationId,
    candidates: Prisma.sql`
      SELECT w.id, w.created_at FROM workspaces w
      WHERE w.status <> 'removed'
        AND w.id IN (SELECT i.workspace_id FROM operation_items i WHERE i.operation_id = ${operationId}::uuid AND i.status = 'failed')`,
    what: "failed workspaces of that operation",
    audit: { retryOf: operationId },
  };
}
