import { z } from "zod";

import { uuidSchema } from "@/lib/schemas/fields";

/** Cancel a queued or running operation. */
export const cancelOperationSchema = z.object({ operationId: uuidSchema });
export type CancelOperation = z.infer<typeof cancelOperationSchema>;

/** Operation states after which nothing changes any more. */
export const TERMINAL_OPERATION_STATUSES = ["succeeded", "failed", "partially_failed", "cancelled"] as const;

/** True when an operation has finished, one way or another. */
export function isTerminalOperationStatus(status: string): boolean {
  return (TERMINAL_OPERATION_STATUSES as readonly string[]).includes(status);
}
