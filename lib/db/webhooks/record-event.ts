import "server-only";

import { randomUUID } from "node:crypto";

import { webhookText, type WebhookData, type WebhookEvent } from "@/lib/domain/webhook-events";
import type { Prisma } from "@/lib/generated/prisma/client";

type EventWriter = Pick<Prisma.TransactionClient, "webhookEndpoint" | "webhookDelivery">;

/**
 * The webhook hook: call it with the transaction client of the change, next to its audit row.
 * It only inserts one pending delivery per enabled endpoint that subscribed to `event` (the
 * outbox); the job runner posts them after the commit, so a slow or failing receiver never slows
 * or fails the change, and a rolled-back change sends nothing. Returns the number of deliveries.
 */
export async function recordEvent(tx: EventWriter, event: WebhookEvent, data: WebhookData): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { enabled: true, events: { has: event } },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  const createdAt = new Date().toISOString();
  const text = webhookText(event, data);
  await tx.webhookDelivery.createMany({
    data: endpoints.map(({ id: endpointId }) => {
      // The delivery id is in the body too: receivers dedupe retries on it.
      const id = randomUUID();
      return {
        id,
        endpointId,
        event,
        payload: { event, text, data, id, created_at: createdAt } as Prisma.InputJsonObject,
      };
    }),
  });
  return endpoints.length;
}
