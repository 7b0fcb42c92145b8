-- Many Docker hosts (issue #16). One row per registered engine, identified by its endpoint
-- (engines started from one image report the same engine ID and hostname, so neither can
-- identify them). The host named 'local' is DOCKER_HOST (or the default socket); start-up
-- inserts it when it is configured or reachable, and it is edited like any other.
CREATE TABLE "docker_hosts" (
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    -- TLS client material in PEM, each sealed with AES-256-GCM (lib/util/secret-box.ts):
    -- 'v1:<iv>:<tag>:<ciphertext>' in base64. NULL when the endpoint is unix:// or plain.
    "tls_ca" TEXT,
    "tls_cert" TEXT,
    "tls_key" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "docker_hosts_pkey" PRIMARY KEY ("name"),
    CONSTRAINT "docker_hosts_name_check" CHECK ("name" ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT "docker_hosts_endpoint_check" CHECK ("endpoint" ~ '^(unix|tcp)://.+'),
    CONSTRAINT "docker_hosts_concurrency_check" CHECK ("concurrency" BETWEEN 1 AND 32)
);

-- One engine, one row: two names for one endpoint would double its work and its limits.
CREATE UNIQUE INDEX "docker_hosts_endpoint_key" ON "docker_hosts"("endpoint");

-- Every workspace records the engine its container lives on. Existing rows all lived on the
-- one engine Fleetpin knew, which is 'local'. No foreign key: 'local' exists only once start-up
-- has seen DOCKER_HOST, and a workspace row must never be lost with its host's registration.
ALTER TABLE "workspaces" ADD COLUMN "host" TEXT NOT NULL DEFAULT 'local';

-- Per-host work (sync, live state, repair, the host filter and the queue's per-host key).
CREATE INDEX "idx_workspaces_host" ON "workspaces"("host");
