-- The swap journal: while a reprovision replaces a workspace's container, the swap's
-- state (old container id and aside name, target image, the create request, the step it
-- is at) lives on the workspace row, written BEFORE each step. A process or engine that
-- dies mid-swap leaves it behind, and the repair pass finishes or undoes the swap from it.
-- NULL means the workspace is at rest.
ALTER TABLE "workspaces" ADD COLUMN "swap_state" JSONB;

-- The repair pass looks for swaps not at rest; they are rare, so a partial index keeps
-- that lookup from reading the whole fleet.
CREATE INDEX "idx_workspaces_swap_pending" ON "workspaces"("id") WHERE ("swap_state" IS NOT NULL);
