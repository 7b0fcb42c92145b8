-- Fleetpin initial schema. Follows the seed system's migration 047 for
-- runtime_image_pins and workspaces.runtime_image_digest.

-- CreateEnum
CREATE TYPE "workspace_status" AS ENUM ('provisioning', 'online', 'offline', 'degraded', 'failed', 'removed', 'paused', 'hibernated', 'awaiting_agent', 'hibernating');

-- CreateEnum
CREATE TYPE "pin_action" AS ENUM ('promote', 'rollback', 'unpin');

-- CreateEnum
CREATE TYPE "operation_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'partially_failed', 'cancelled');

-- CreateEnum
CREATE TYPE "operation_item_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('viewer', 'operator');

-- CreateTable
CREATE TABLE "runtime_image_pins" (
    "template_name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,
    "notes" TEXT,

    CONSTRAINT "runtime_image_pins_pkey" PRIMARY KEY ("template_name"),
    CONSTRAINT "runtime_image_pins_digest_check" CHECK ("digest" ~ '^sha256:[a-f0-9]{64}$')
);

-- CreateTable
CREATE TABLE "runtime_image_pin_history" (
    "id" BIGSERIAL NOT NULL,
    "template_name" TEXT NOT NULL,
    "action" "pin_action" NOT NULL,
    "from_digest" TEXT,
    "to_digest" TEXT,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runtime_image_pin_history_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "runtime_image_pin_history_from_digest_check" CHECK ("from_digest" IS NULL OR "from_digest" ~ '^sha256:[a-f0-9]{64}$'),
    CONSTRAINT "runtime_image_pin_history_to_digest_check" CHECK ("to_digest" IS NULL OR "to_digest" ~ '^sha256:[a-f0-9]{64}$')
);

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "runtime" TEXT NOT NULL DEFAULT 'langgraph',
    "status" "workspace_status" NOT NULL DEFAULT 'provisioning',
    "container_id" TEXT,
    "container_name" TEXT,
    "runtime_image" TEXT,
    "runtime_image_digest" TEXT,
    "last_error" TEXT,
    "locked_by" TEXT,
    "locked_at" TIMESTAMPTZ(6),
    "last_provisioned_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "template_name" TEXT,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "status" "operation_status" NOT NULL DEFAULT 'queued',
    "requested_by" TEXT NOT NULL,
    "template_name" TEXT,
    "reason" TEXT,
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "total" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation_items" (
    "id" BIGSERIAL NOT NULL,
    "operation_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "status" "operation_item_status" NOT NULL DEFAULT 'queued',
    "from_digest" TEXT,
    "to_digest" TEXT,
    "image" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "operation_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(6),

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "idx_pin_history_template" ON "runtime_image_pin_history"("template_name", "id");

-- CreateIndex: partial, as in the seed's migration 047 ("workspaces still on the old digest")
CREATE INDEX "idx_workspaces_runtime_image_digest" ON "workspaces"("runtime_image_digest") WHERE "runtime_image_digest" IS NOT NULL;

-- CreateIndex: per-template counts and stale lists without touching the heap
CREATE INDEX "idx_workspaces_runtime_digest" ON "workspaces"("runtime", "runtime_image_digest");

-- CreateIndex
CREATE INDEX "idx_workspaces_status" ON "workspaces"("status");

-- CreateIndex
CREATE INDEX "idx_workspaces_created" ON "workspaces"("created_at", "id");

-- CreateIndex
CREATE INDEX "idx_audit_log_created" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "idx_audit_log_template" ON "audit_log"("template_name", "created_at");

-- CreateIndex
CREATE INDEX "idx_operations_created" ON "operations"("created_at");

-- CreateIndex
CREATE INDEX "idx_operation_items_operation" ON "operation_items"("operation_id", "status");

-- CreateIndex
CREATE INDEX "idx_operation_items_workspace" ON "operation_items"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "idx_sessions_user" ON "sessions"("user_id");

-- AddForeignKey
ALTER TABLE "operation_items" ADD CONSTRAINT "operation_items_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation_items" ADD CONSTRAINT "operation_items_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
