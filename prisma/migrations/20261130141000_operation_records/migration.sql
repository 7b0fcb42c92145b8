-- Honest operation records.
-- Who asked to cancel an operation, and when (the first request; asking again changes nothing).
-- Kept even when the cancel came after the last item had started and so cancelled nothing.
ALTER TABLE "operations" ADD COLUMN "cancelled_by" TEXT;
ALTER TABLE "operations" ADD COLUMN "cancelled_at" TIMESTAMPTZ(6);

-- Where the item left its workspace, in plain words ("still running its old image",
-- "state unknown, check the workspace", "not started: the operation was cancelled"…),
-- next to `error`, which says what went wrong.
ALTER TABLE "operation_items" ADD COLUMN "outcome" TEXT;
