-- Workspace counts per (runtime, digest, status, host), kept by triggers in the transaction of
-- every change, so the Stale fleet summary and the lists' totals read a few thousand rows instead
-- of counting a million (issue #16: an index-only scan of a million entries takes ~10x the target).
--
-- Append-only deltas, not one row per group updated in place: concurrent transactions changing
-- workspaces of one group would queue on that row until commit, and two multi-row updates taking
-- group rows in different orders would deadlock. An insert never waits for anyone. The count of a
-- group is sum(n) over its rows; lib/db/workspace-counts.ts folds them together now and then
-- (DELETE … RETURNING then one INSERT per group, in one statement: a row is folded exactly once).
CREATE TABLE "workspace_counts" (
    "id" BIGSERIAL NOT NULL,
    "runtime" TEXT NOT NULL,
    "runtime_image_digest" TEXT,
    "status" "workspace_status" NOT NULL,
    "host" TEXT NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "workspace_counts_pkey" PRIMARY KEY ("id")
);

-- Statement-level, with transition tables: a statement that writes 250,000 rows adds one delta
-- per group it touched, not one per row. (Transition tables allow neither column lists nor
-- WHEN, so every UPDATE statement runs its trigger; one that changes none of the four columns
-- nets to zero and adds nothing.)
CREATE FUNCTION "workspace_counts_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "workspace_counts" ("runtime", "runtime_image_digest", "status", "host", "n")
    SELECT "runtime", "runtime_image_digest", "status", "host", count(*)
    FROM "inserted_rows"
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE FUNCTION "workspace_counts_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "workspace_counts" ("runtime", "runtime_image_digest", "status", "host", "n")
    SELECT "runtime", "runtime_image_digest", "status", "host", -count(*)
    FROM "deleted_rows"
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE FUNCTION "workspace_counts_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "workspace_counts" ("runtime", "runtime_image_digest", "status", "host", "n")
    SELECT "runtime", "runtime_image_digest", "status", "host", sum("n")
    FROM (
        SELECT "runtime", "runtime_image_digest", "status", "host", -1 AS "n" FROM "old_rows"
        UNION ALL
        SELECT "runtime", "runtime_image_digest", "status", "host", 1 AS "n" FROM "new_rows"
    ) AS "moved"
    GROUP BY 1, 2, 3, 4
    HAVING sum("n") <> 0;
    RETURN NULL;
END $$;

-- TRUNCATE fires no DELETE trigger: the counts go with the rows. A fold running meanwhile would
-- insert its folded rows after this DELETE's snapshot, so it waits for the fold's lock first
-- (lib/db/workspace-counts.ts FOLD_LOCK).
CREATE FUNCTION "workspace_counts_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7263540011);
    DELETE FROM "workspace_counts";
    RETURN NULL;
END $$;

CREATE TRIGGER "workspace_counts_insert" AFTER INSERT ON "workspaces"
    REFERENCING NEW TABLE AS "inserted_rows" FOR EACH STATEMENT EXECUTE FUNCTION "workspace_counts_inserted"();
CREATE TRIGGER "workspace_counts_delete" AFTER DELETE ON "workspaces"
    REFERENCING OLD TABLE AS "deleted_rows" FOR EACH STATEMENT EXECUTE FUNCTION "workspace_counts_deleted"();
CREATE TRIGGER "workspace_counts_update" AFTER UPDATE ON "workspaces"
    REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "workspace_counts_updated"();
CREATE TRIGGER "workspace_counts_truncate" AFTER TRUNCATE ON "workspaces"
    FOR EACH STATEMENT EXECUTE FUNCTION "workspace_counts_truncated"();

-- The rows already there. CREATE TRIGGER locked workspaces against writes until this migration
-- commits, so no change slips between the triggers and this count.
INSERT INTO "workspace_counts" ("runtime", "runtime_image_digest", "status", "host", "n")
SELECT "runtime", "runtime_image_digest", "status", "host", count(*)
FROM "workspaces"
GROUP BY 1, 2, 3, 4;
