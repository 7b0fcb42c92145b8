-- The digest ledger (issue 17): every digest Fleetpin meets for a template, with what the
-- registry says about it (fetched once: digests are immutable), its quarantine and whether
-- the registry still has it.
CREATE TABLE "template_digests" (
    "template_name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_seen_via" TEXT NOT NULL,
    "seen_via" JSONB NOT NULL,
    "media_type" TEXT,
    "platforms" JSONB,
    "config_created" TIMESTAMPTZ(6),
    "label_revision" TEXT,
    "label_source" TEXT,
    "label_version" TEXT,
    "label_created" TEXT,
    "compressed_size" BIGINT,
    "metadata_at" TIMESTAMPTZ(6),
    "metadata_error" TEXT,
    "quarantined_at" TIMESTAMPTZ(6),
    "quarantined_by" TEXT,
    "quarantine_reason" TEXT,
    "quarantine_lifted_at" TIMESTAMPTZ(6),
    "quarantine_lifted_by" TEXT,
    "quarantine_lift_reason" TEXT,
    "registry_checked_at" TIMESTAMPTZ(6),
    "registry_missing_since" TIMESTAMPTZ(6),

    CONSTRAINT "template_digests_pkey" PRIMARY KEY ("template_name", "digest")
);
CREATE INDEX "idx_template_digests_first_seen" ON "template_digests"("template_name", "first_seen_at");

-- Which digest a tag pointed at, from when until when (pointed_until NULL = still does).
CREATE TABLE "template_digest_tags" (
    "id" BIGSERIAL NOT NULL,
    "template_name" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "seen_via" TEXT NOT NULL,
    "pointed_since" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pointed_until" TIMESTAMPTZ(6),

    CONSTRAINT "template_digest_tags_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "idx_template_digest_tags_digest" ON "template_digest_tags"("template_name", "digest");
-- One current pointer per tag: two watchers recording the same move cannot both insert it.
CREATE UNIQUE INDEX "idx_template_digest_tags_current" ON "template_digest_tags"("template_name", "tag") WHERE pointed_until IS NULL;

-- Per-template settings of the watcher and the cool-down (NULL = the env default).
CREATE TABLE "template_settings" (
    "template_name" TEXT NOT NULL,
    "min_digest_age_seconds" INTEGER,
    "watched_tags" JSONB,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "template_settings_pkey" PRIMARY KEY ("template_name")
);

-- The watcher's and the retention check's claim per template (so two processes do not both
-- check it in one interval) and the last error each met, shown on the template's page.
CREATE TABLE "template_watch" (
    "template_name" TEXT NOT NULL,
    "watch_claimed_at" TIMESTAMPTZ(6),
    "watch_claimed_by" TEXT,
    "watch_ok_at" TIMESTAMPTZ(6),
    "watch_error" TEXT,
    "watch_error_at" TIMESTAMPTZ(6),
    "retention_claimed_at" TIMESTAMPTZ(6),
    "retention_error" TEXT,

    CONSTRAINT "template_watch_pkey" PRIMARY KEY ("template_name")
);

-- A registry that answered 429: nobody asks it again before `until`.
CREATE TABLE "registry_backoff" (
    "registry" TEXT NOT NULL,
    "until" TIMESTAMPTZ(6) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "registry_backoff_pkey" PRIMARY KEY ("registry")
);
