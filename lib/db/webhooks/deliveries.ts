import "server-only";

import type { Db } from "@/lib/db/client";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/client";

/** A due delivery as stored: what to post, where, and the endpoint's secret as the column holds it. */
export type DueDelivery = {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
  url: string;
  /** Sealed (`v1:…`, lib/util/secret-box.ts) or, for rows older than sealing, plain text. */
  storedSecret: string;
};

/** A delivery as the sender needs it: the secret opened, ready to sign with. */
export type DeliveryToSend = Omit<DueDelivery, "storedSecret"> & { secret: string };

/** What one attempt gave: a 2xx, or the status / error that makes it a failure. */
export type AttemptResult =
  { ok: true; responseCode: number } | { ok: false; responseCode: number | null; error: string };

/** Ids of pending deliveries whose next attempt is due (oldest first); the dispatcher hands each to the job runner. */
export async function dueDeliveryIds(db: Db, limit = 500): Promise<string[]> {
  const rows = await db.webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: new Date() }, endpoint: { enabled: true } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** The delivery if it is still pending and due (a job may arrive after another one settled it). */
export async function loadDueDelivery(db: Db, id: string): Promise<DueDelivery | null> {
  const row = await db.webhookDelivery.findFirst({
    where: { id, status: "pending", nextAttemptAt: { lte: new Date() }, endpoint: { enabled: true } },
    include: { endpoint: { select: { url: true, secret: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    event: row.event,
    payload: row.payload,
    attempts: row.attempts,
    createdAt: row.createdAt,
    url: row.endpoint.url,
    storedSecret: row.endpoint.secret,
  };
}

/**
 * Records one attempt: delivered on a 2xx; otherwise pending again at `retryAt`, or failed when
 * `retryAt` is null (the retry window is spent). Only a pending row changes.
 */
export async function recordAttempt(
  db: Db,
  id: string,
  result: AttemptResult,
  retryAt: Date | null,
): Promise<WebhookDeliveryStatus> {
  const now = new Date();
  const status: WebhookDeliveryStatus = result.ok ? "delivered" : retryAt ? "pending" : "failed";
  await db.webhookDelivery.updateMany({
    where: { id, status: "pending" },
    data: {
      status,
      attempts: { increment: 1 },
      lastResponseCode: result.responseCode,
      lastError: result.ok ? null : result.error.slice(0, 1000),
      ...(result.ok ? { deliveredAt: now } : retryAt ? { nextAttemptAt: retryAt } : {}),
      updatedAt: now,
    },
  });
  return status;
}
