"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { createWebhookEndpoint, deleteWebhookEndpoint } from "@/lib/db/webhooks/endpoints";
import { displayUrl } from "@/lib/domain/webhook-display-url";
import { createWebhookSchema, deleteWebhookSchema } from "@/lib/schemas/webhook";

/** Register a receiver; the answer carries its secret, shown once. */
export const createWebhookAction = defineAction({
  name: "createWebhookAction",
  role: "operator",
  schema: createWebhookSchema,
  run: async (input, user) => {
    const endpoint = await createWebhookEndpoint(await getDb(), input, user.email);
    return { id: endpoint.id, url: displayUrl(endpoint.url), secret: endpoint.secret };
  },
  revalidate: ["/settings/webhooks", "/audit"],
});

/** Remove a receiver with its deliveries. */
export const deleteWebhookAction = defineAction({
  name: "deleteWebhookAction",
  role: "operator",
  schema: deleteWebhookSchema,
  run: async ({ endpointId }, user) => {
    await deleteWebhookEndpoint(await getDb(), endpointId, user.email);
    return { endpointId };
  },
  revalidate: ["/settings/webhooks", "/audit"],
});
