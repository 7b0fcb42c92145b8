import { z } from "zod";

import { optionalReasonSchema, uuidSchema } from "./fields";

/** Cancel a queued or running operation. */
export const cancelOperationSchema = z.object({ operationId: uuidSchema });
export type CancelOperation = z.infer<typeof cancelOperationSchema>;

/** Reprovision the failed workspaces of a finished operation again, as a new operation. */
export const retryFailedSchema = z.object({ operationId: uuidSchema, reason: optionalReasonSchema });
export type RetryFailed = z.infer<typeof retryFailedSchema>;

/** Operation states after which nothing changes any more. */
export const TERMINAL_OPERATION_STATUSES = ["succeeded", "failed", "partially_failed", "cancelled"] as const;

/** True when an operation has finished, one way or another. */
export function isTerminalOperationStatus(status: string): boolean {
  return (TERMINAL_OPERATION_STATUSES as readonly string[]).includes(status);
}
