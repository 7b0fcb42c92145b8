import "server-only";

import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Sets the operation's succeeded/failed counters from its items; returns them. */
export async function recountOperation(
  tx: Prisma.TransactionClient | Db,
  operationId: string,
): Promise<{ succeeded: number; failed: number }> {
  // Raw: the counters set from correlated counts in the same UPDATE … RETURNING, so they cannot drift from the items.
  const [row] = await tx.$queryRaw<{ succeeded: number; failed: number }[]>`
    UPDATE operations o SET
      succeeded = (SELECT count(*)::int FROM operation_items WHERE operation_id = o.id AND status = 'succeeded'),
      failed = (SELECT count(*)::int FROM operation_items WHERE operation_id = o.id AND status = 'failed')
    WHERE o.id = ${operationId}::uuid
    RETURNING o.succeeded, o.failed`;
  return row ?? { succeeded: 0, failed: 0 };
}
