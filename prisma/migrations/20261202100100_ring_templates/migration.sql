-- Rings for chosen templates only (issue 18): while this table has rows, only the templates
-- listed here roll out ring by ring; every other template's promote moves its pin at once.
-- No rows = the rings apply to every template.
CREATE TABLE "ring_templates" (
    "template_name" TEXT NOT NULL,
    "added_by" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ring_templates_pkey" PRIMARY KEY ("template_name")
);
