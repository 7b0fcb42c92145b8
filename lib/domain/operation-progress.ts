// What an operation and its items look like to the pages, the dialogs and GET /api/operations/[id].
// Plain types, so components/ can use them without importing lib/db, which builds the values. The status
// unions spell out the enums of prisma/schema.prisma: lib/db assigns the database's values to them, so a
// status added to the schema but not here fails `tsc` there.

/** Where an operation stands as a whole. */
export type OperationStatus = "queued" | "running" | "succeeded" | "failed" | "partially_failed" | "cancelled";

/** Where one workspace of an operation stands (`skipped`: another operation had it). */
export type OperationItemStatus = "queued" | "running" | "succeeded" | "failed" | "skipped" | "cancelled";

/** An operation's state and counters, without its items (the Recent operations list). */
export type OperationSummary = {
  id: string;
  kind: string;
  status: OperationStatus;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  queued: number;
  running: number;
  /** Finished share of the items, 0–100 (100 for a finished operation without items). */
  percent: number;
  cancelRequested: boolean;
  /** Who first asked to cancel, and when (null when nobody did). */
  cancelledBy: string | null;
  cancelledAt: Date | null;
  /** The operation whose failed workspaces this one retries, if any. */
  retryOf: string | null;
  templateName: string | null;
  reason: string | null;
  requestedBy: string;
  concurrency: number;
  /** Why the operation as a whole failed or what went wrong in a sync; item errors are on the items. */
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** One workspace's result within an operation. */
export type OperationItemProgress = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  status: OperationItemStatus;
  fromDigest: string | null;
  toDigest: string | null;
  image: string | null;
  /** What went wrong (failed items). */
  error: string | null;
  /** Where the item left its workspace, in plain words ("still running its old image", "state unknown, check the workspace"…). */
  outcome: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/**
 * An operation with its items: every failed item first, then running ones, then
 * skipped ones (another operation had them), then the rest in order, up to `itemLimit`; `itemsOmitted` says how many were left out.
 */
export type OperationProgress = OperationSummary & {
  items: OperationItemProgress[];
  itemsOmitted: number;
  /** Operations that retry this one's failures, oldest first. */
  retriedBy: string[];
};
