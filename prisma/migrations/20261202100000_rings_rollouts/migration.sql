-- Rings and rollouts (issue 18). A promote of a template with rings configured starts a rollout
-- that moves the fleet ring by ring; its state and timers live here so a restart resumes it.

-- The configured rings, in order (position 0 first). No rows = rings are off: a promote moves the
-- whole pin at once, as before. selector NULL only on the last ring (it holds the rest).
CREATE TABLE "rings" (
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "bake_seconds" INTEGER NOT NULL,
    "failure_budget" INTEGER NOT NULL DEFAULT 0,
    "max_unavailable" INTEGER NOT NULL DEFAULT 0,
    "auto_advance" BOOLEAN NOT NULL DEFAULT true,
    "selector" JSONB,
    -- Optional HTTP probe during the bake: {"path": "/health", "expectedStatus": 200}.
    "probe" JSONB,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rings_pkey" PRIMARY KEY ("position"),
    CONSTRAINT "rings_bake_seconds_check" CHECK ("bake_seconds" BETWEEN 0 AND 86400)
);
CREATE UNIQUE INDEX "rings_name_key" ON "rings"("name");

-- One rollout of one template from one digest to another.
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "template_name" TEXT NOT NULL,
    "from_digest" TEXT,
    "to_digest" TEXT NOT NULL,
    "git_sha" TEXT,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "current_ring" INTEGER NOT NULL DEFAULT 0,
    "status_reason" TEXT,
    -- When the pin moved to to_digest (the last ring's start); NULL while it has not.
    "pin_moved_at" TIMESTAMPTZ(6),
    -- A failed ring or an abort asks for a rollback; it ends the rollout as rolled_back or aborted.
    "rollback_ending" TEXT,
    "rollback_requested_at" TIMESTAMPTZ(6),
    "rollback_started_at" TIMESTAMPTZ(6),
    "rollback_operation_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rollouts_status_check" CHECK ("status" IN ('running', 'paused', 'succeeded', 'rolled_back', 'aborted')),
    CONSTRAINT "rollouts_rollback_ending_check" CHECK ("rollback_ending" IS NULL OR "rollback_ending" IN ('rolled_back', 'aborted'))
);
-- One active (running or paused) rollout per template: two promotes racing cannot both start one.
CREATE UNIQUE INDEX "idx_rollouts_one_active_per_template" ON "rollouts"("template_name") WHERE status IN ('running', 'paused');
CREATE INDEX "idx_rollouts_created" ON "rollouts"("created_at");

-- Each ring of a rollout: a copy of the ring's configuration when the rollout began (editing the
-- rings later never changes a rollout under way), its state and its timers.
CREATE TABLE "rollout_rings" (
    "rollout_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "bake_seconds" INTEGER NOT NULL,
    "failure_budget" INTEGER NOT NULL,
    "max_unavailable" INTEGER NOT NULL,
    "auto_advance" BOOLEAN NOT NULL,
    "selector" JSONB,
    "probe" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "target_digest" TEXT,
    "operation_id" UUID,
    "started_at" TIMESTAMPTZ(6),
    "bake_started_at" TIMESTAMPTZ(6),
    "bake_until" TIMESTAMPTZ(6),
    -- The last look at the bake gate: {"ok": bool, "failures": [{"workspaceId", "reason"}]}.
    "gate" JSONB,
    "gate_checked_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "rollout_rings_pkey" PRIMARY KEY ("rollout_id", "position"),
    CONSTRAINT "rollout_rings_status_check" CHECK ("status" IN ('pending', 'reprovisioning', 'baking', 'waiting', 'passed', 'failed', 'rolled_back', 'skipped')),
    CONSTRAINT "rollout_rings_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Which ring each workspace of the template is in for a rollout, and the digest it should run
-- while the rollout is active (NULL: its ring has not started, so the pin is its target). The
-- stale view measures a workspace against target_digest; the bake gate compares restart counts
-- with the baseline taken after its reprovision.
CREATE TABLE "rollout_workspaces" (
    "rollout_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "ring_position" INTEGER NOT NULL,
    "target_digest" TEXT,
    "container_id" TEXT,
    "restart_count" INTEGER,
    "gate_state" TEXT,
    "gate_reason" TEXT,
    "last_log_lines" JSONB,

    CONSTRAINT "rollout_workspaces_pkey" PRIMARY KEY ("rollout_id", "workspace_id"),
    CONSTRAINT "rollout_workspaces_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "rollout_workspaces_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "idx_rollout_workspaces_workspace" ON "rollout_workspaces"("workspace_id");
CREATE INDEX "idx_rollout_workspaces_ring" ON "rollout_workspaces"("rollout_id", "ring_position");

-- A reprovision to a given digest instead of the template's pin: a ring's start (the new digest,
-- before the pin moves) and a rollback (the old one). NULL = resolve the pin as always.
ALTER TABLE "operations" ADD COLUMN "target_digest" TEXT;
