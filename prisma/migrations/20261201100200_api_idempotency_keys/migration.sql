-- Idempotency-Key on /api/v1 POSTs (issue #15): the first request with a key claims it by
-- inserting this row (the primary key decides between concurrent requests), runs, and stores
-- its answer; a retry with the same key and body within 24 hours gets that answer back
-- without the work being done again. Keys are per token.
CREATE TABLE "api_idempotency_keys" (
    "token_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    -- sha256 of the request body, hex: another body under the same key is refused (422).
    "body_hash" TEXT NOT NULL,
    -- NULL while the first request is still running.
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_idempotency_keys_pkey" PRIMARY KEY ("token_id","key")
);

-- CreateIndex
CREATE INDEX "idx_api_idempotency_keys_created" ON "api_idempotency_keys"("created_at");

-- AddForeignKey
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
