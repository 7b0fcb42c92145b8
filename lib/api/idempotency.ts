import "server-only";

import { createHash } from "node:crypto";

import type { Db } from "@/lib/db/client";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "@/lib/db/idempotency-keys";

import { problem } from "./problem";

/** A route's answer before it becomes a Response: a status and its JSON body (a problem document for errors). */
export type Answer = { status: number; body: unknown; replayed?: boolean };

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
// Visible ASCII, as the IETF draft's examples and Stripe's keys (UUIDs, CI run ids) are.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs `produce` at most once per Idempotency-Key (per token): the first request claims the key
 * and its answer is stored; a retry with the same method, path and body within 24 hours gets
 * that answer back (marked replayed) without `produce` running again; the same key with another
 * request is 422; a retry while the first is still running is 409 (retry later). Answers the
 * server failed on (5xx) are not kept, so a retry does the work.
 */
export async function withIdempotencyKey(
  db: Db,
  request: { tokenId: string; key: string; method: string; path: string; rawBody: string },
  produce: () => Promise<Answer>,
): Promise<Answer> {
  if (!KEY_PATTERN.test(request.key)) {
    const message = "An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is a good one).";
    return answer(problem("invalid_input", message, { idempotency_key: [message] }));
  }
  const bodyHash = createHash("sha256").update(request.rawBody).digest("hex");
  const claim = await claimIdempotencyKey(db, {
    tokenId: request.tokenId,
    key: request.key,
    method: request.method,
    path: request.path,
    bodyHash,
  });
  if (claim.kind === "replay") return { status: claim.status, body: claim.body, replayed: true };
  if (claim.kind === "mismatch") {
    return answer(
      problem(
        "idempotency_key_reused",
        "This Idempotency-Key was already used for another request (method, path or body); use a new key for a new request.",
      ),
    );
  }
  if (claim.kind === "in_progress") {
    return answer(
      problem(
        "idempotency_in_progress",
        "A request with this Idempotency-Key is still being processed; retry in a moment to get its answer.",
      ),
    );
  }

  let result: Answer;
  try {
    result = await produce();
  } catch (error) {
    await releaseIdempotencyKey(db, request.tokenId, request.key);
    throw error;
  }
  if (result.status >= 500) await releaseIdempotencyKey(db, request.tokenId, request.key);
  else await completeIdempotencyKey(db, request.tokenId, request.key, result.status, result.body);
  return result;
}

function answer(body: { status: number }): Answer {
  return { status: body.status, body };
}
