// What an operation item stores as its `outcome`, for the items whose outcome does not
// come from an error (failed reprovisions use describeWorkspaceState of lib/domain/errors.ts).

/** A reprovision that went through. */
export const SUCCEEDED_ITEM_OUTCOME = "running its new image";

/** A queued item a cancel stopped before it started. */
export const CANCELLED_ITEM_OUTCOME = "not started: the operation was cancelled; the workspace was not touched";

/** A queued item a restart or a broken run closed before it started. */
export const NOT_STARTED_ITEM_OUTCOME = "not started; the workspace was not touched";

/** The start of the outcome of an item another operation already had queued or running; its id follows. */
export const BUSY_ELSEWHERE = "skipped: already queued or running in operation";
