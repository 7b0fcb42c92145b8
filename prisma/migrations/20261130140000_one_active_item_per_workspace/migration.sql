-- One run per workspace, across operations: at most one queued or running item per
-- workspace. Enqueueing inserts with ON CONFLICT DO NOTHING against this index, so two
-- enqueues committing at the same moment cannot both queue a workspace (a read-then-write
-- check cannot promise that: each transaction would miss the other's uncommitted rows).
--
-- Rows that already break the rule (left by that very race) are settled first: the
-- running item, else the oldest, keeps its place; the others become 'skipped', saying why.
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY workspace_id ORDER BY (status = 'running') DESC, id) AS place
    FROM "operation_items"
    WHERE status IN ('queued', 'running')
)
UPDATE "operation_items" i
SET status = 'skipped', error = 'skipped: the workspace was already queued or running in another operation', finished_at = now()
FROM ranked r
WHERE r.id = i.id AND r.place > 1;

-- CreateIndex
CREATE UNIQUE INDEX "idx_operation_items_active_workspace" ON "operation_items"("workspace_id") WHERE status IN ('queued', 'running');
