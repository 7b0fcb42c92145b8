import type { OperationStatus } from "@/lib/generated/prisma/client";

/** Statuses of an operation that has not finished: a runner may still claim it, or is running it. */
export const ACTIVE_OPERATION_STATUSES = ["queued", "running"] as const;

/** True while an operation is queued or running. */
export function isActiveOperationStatus(status: string): boolean {
  return (ACTIVE_OPERATION_STATUSES as readonly string[]).includes(status);
}

/** The operation's final status from its item outcomes: all fine, none fine, or some of each. */
export function finalStatus(succeeded: number, failed: number): OperationStatus {
  if (failed === 0) return "succeeded";
  return succeeded === 0 ? "failed" : "partially_failed";
}
