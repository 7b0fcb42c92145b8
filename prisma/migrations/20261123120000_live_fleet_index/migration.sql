-- The stale-fleet summary and the stale list only count live workspaces
-- (status <> 'removed'). With that condition as the index predicate, PostgreSQL
-- answers them from the index alone (an index-only scan of (runtime, digest))
-- instead of reading every row of the table. It also serves the template filter
-- of the workspaces page, so it replaces the unconditional index on the same columns.

-- DropIndex
DROP INDEX "idx_workspaces_runtime_digest";

-- CreateIndex
CREATE INDEX "idx_workspaces_live_runtime_digest" ON "workspaces"("runtime", "runtime_image_digest") WHERE ("status" <> 'removed'::"workspace_status");
