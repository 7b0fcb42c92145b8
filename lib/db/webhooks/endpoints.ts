import "server-only";

import { randomBytes } from "node:crypto";

import type { Env } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { loadSecretKey, WEBHOOK_SECRETS } from "@/lib/db/secret-key";
import { NotFoundError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import { displayUrl } from "@/lib/domain/webhook-display-url";
import type { WebhookEvent } from "@/lib/domain/webhook-events";
import type { WebhookDeliveryStatus } from "@/lib/generated/prisma/client";
import { sealSecret } from "@/lib/util/secret-box";

// The secret is stored sealed (AES-256-GCM, `v1:` format, lib/util/secret-box.ts) under the same
// key as Docker hosts' TLS material (lib/db/secret-key.ts): signing needs it back in clear, so it
// is encrypted rather than hashed, and a dump of the rows alone does not let anyone forge
// deliveries. Rows written before it was sealed are plain text: the sender signs with them as they
// are and start-up seals them (seal-plain-secrets.ts).

export type WebhookEndpointRow = {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
};
export type WebhookDeliveryRow = {
  id: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
};
export type CreateWebhookInput = { url: string; secret?: string; events: WebhookEvent[] };

/**
 * Registers an endpoint; returns it with its secret (generated when none is given), which is shown
 * once. The secret is sealed first: without a key (PostgreSQL and no FLEETPIN_SECRET_KEY) this is a
 * ValidationError naming the variable, before anything is written.
 */
export async function createWebhookEndpoint(
  db: Db,
  input: CreateWebhookInput,
  actor: string,
  env?: Env,
): Promise<WebhookEndpointRow & { secret: string }> {
  const secret = input.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const sealed = sealSecret(secret, await loadSecretKey(env, WEBHOOK_SECRETS));
  const events = [...new Set(input.events)];
  return db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: { url: input.url, secret: sealed, events, createdBy: actor },
    });
    await recordAudit(tx, {
      actor,
      action: "webhook.create",
      targetType: "webhook",
      targetId: row.id,
      after: { url: displayUrl(row.url), events },
    });
    return { ...endpointRow(row), secret };
  });
}

/** Removes an endpoint and its deliveries (pending ones are never sent). */
export async function deleteWebhookEndpoint(db: Db, endpointId: string, actor: string): Promise<void> {
  if (!isUuid(endpointId)) throw new NotFoundError(`Webhook endpoint ${endpointId} not found.`);
  await db.$transaction(async (tx) => {
    const [row] = await tx.webhookEndpoint.findMany({ where: { id: endpointId }, take: 1 });
    if (!row) throw new NotFoundError(`Webhook endpoint ${endpointId} not found.`);
    await tx.webhookEndpoint.delete({ where: { id: endpointId } });
    await recordAudit(tx, {
      actor,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: endpointId,
      before: { url: displayUrl(row.url), events: row.events },
    });
  });
}

/** Every endpoint, newest first, without secrets. */
export async function listWebhookEndpoints(db: Db): Promise<WebhookEndpointRow[]> {
  const rows = await db.webhookEndpoint.findMany({ orderBy: { createdAt: "desc" } });
  return rows.map(endpointRow);
}

/** One endpoint (no secret) and its latest deliveries, newest first. */
export async function getWebhookEndpoint(
  db: Db,
  endpointId: string,
  limit = 100,
): Promise<{ endpoint: WebhookEndpointRow; deliveries: WebhookDeliveryRow[] }> {
  const row = isUuid(endpointId) ? await db.webhookEndpoint.findUnique({ where: { id: endpointId } }) : null;
  if (!row) throw new NotFoundError(`Webhook endpoint ${endpointId} not found.`);
  const deliveries = await db.webhookDelivery.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(500, Math.max(1, Math.trunc(limit) || 100)),
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      lastResponseCode: true,
      lastError: true,
      nextAttemptAt: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
  return { endpoint: endpointRow(row), deliveries };
}

function endpointRow(row: WebhookEndpointRow & { secret?: string }): WebhookEndpointRow {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}
