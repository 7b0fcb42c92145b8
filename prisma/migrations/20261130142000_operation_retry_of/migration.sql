-- "Retry failed": a retry is a new operation over the failed workspaces of an earlier one,
-- linked to it so each page can point at the other. Deleting the original keeps the retry.
ALTER TABLE "operations" ADD COLUMN "retry_of" UUID;

-- CreateIndex
CREATE INDEX "idx_operations_retry_of" ON "operations"("retry_of");

-- AddForeignKey
ALTER TABLE "operations" ADD CONSTRAINT "operations_retry_of_fkey" FOREIGN KEY ("retry_of") REFERENCES "operations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
