-- API tokens for /api/v1 (issue #15). The token itself is never stored: only its
-- sha256 (a token is 32 random bytes, so a fast hash is enough; see lib/api/api-token.ts)
-- and a short prefix to tell tokens apart on the settings page.
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "role" "user_role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "token_prefix" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(6),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "revoked_by" TEXT,
    -- The per-token rate limit's fixed one-minute window: its start and the calls counted in it.
    "rate_window_start" TIMESTAMPTZ(6),
    "rate_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- A name names one token that is not revoked; a revoked token's name can be reused.
CREATE UNIQUE INDEX "idx_api_tokens_active_name" ON "api_tokens"("name") WHERE revoked_at IS NULL;
