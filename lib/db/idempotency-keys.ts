import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

import type { Db } from "./client";

/** What a POST with an Idempotency-Key finds: its own claim, the first answer, a claim still running, or another request under the key. */
export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "in_progress" }
  | { kind: "mismatch" };

export type IdempotencyRequest = { tokenId: string; key: string; method: string; path: string; bodyHash: string };

/** How long a key's first answer is kept and replayed. */
const KEPT = "24 hours";
/** A claim whose request never finished (its process died) is taken over after this; requests here take seconds. */
const ABANDONED = "10 minutes";

/**
 * Claims `key` for this token, or says what holds it. The insert is the claim: of two requests
 * with one key at the same moment, the primary key lets exactly one insert, and the other finds
 * the claim in progress, so the work is never done twice. A key older than 24 hours (or a claim
 * abandoned for ten minutes) is taken over by the same statement. Expired keys are pruned first.
 */
export async function claimIdempotencyKey(db: Db, request: IdempotencyRequest): Promise<IdempotencyClaim> {
  // Raw: interval arithmetic on the database clock (deleteMany would compare with the app's clock).
  await db.$executeRawUnsafe(`DELETE FROM api_idempotency_keys WHERE created_at < now() - interval '${KEPT}'`);
  // Raw SQL: a conditional ON CONFLICT DO UPDATE (take over only an expired key) has no Prisma model API.
  const claimed = await db.$queryRawUnsafe<{ claimed: boolean }[]>(
    `INSERT INTO api_idempotency_keys (token_id, key, method, path, body_hash)
     VALUES ($1::uuid, $2, $3, $4, $5)
     ON CONFLICT (token_id, key) DO UPDATE SET
       method = EXCLUDED.method, path = EXCLUDED.path, body_hash = EXCLUDED.body_hash,
       response_status = NULL, response_body = NULL, created_at = now(), completed_at = NULL
     WHERE api_idempotency_keys.created_at < now() - interval '${KEPT}'
        OR (api_idempotency_keys.completed_at IS NULL AND api_idempotency_keys.created_at < now() - interval '${ABANDONED}')
     RETURNING true AS claimed`,
    request.tokenId,
    request.key,
    request.method,
    request.path,
    request.bodyHash,
  );
  if (claimed.length > 0) return { kind: "claimed" };

  const held = await db.apiIdempotencyKey.findUnique({
    where: { tokenId_key: { tokenId: request.tokenId, key: request.key } },
  });
  // Deleted between the insert and this read (pruned, or released by a failed first request): the client retries.
  if (!held) return { kind: "in_progress" };
  if (held.method !== request.method || held.path !== request.path || held.bodyHash !== request.bodyHash)
    return { kind: "mismatch" };
  if (held.responseStatus === null) return { kind: "in_progress" };
  return { kind: "replay", status: held.responseStatus, body: held.responseBody };
}

/** Stores the first answer under a claimed key, for the retries. */
export async function completeIdempotencyKey(
  db: Db,
  tokenId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db.apiIdempotencyKey.update({
    where: { tokenId_key: { tokenId, key } },
    data: { responseStatus: status, responseBody: (body ?? null) as Prisma.InputJsonValue, completedAt: new Date() },
  });
}

/** Gives a claimed key up (the request failed on the server's side), so a retry does the work. */
export async function releaseIdempotencyKey(db: Db, tokenId: string, key: string): Promise<void> {
  await db.apiIdempotencyKey.deleteMany({ where: { tokenId, key, completedAt: null } });
}
