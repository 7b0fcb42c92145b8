import { z } from "zod";

import { WEBHOOK_EVENTS } from "@/lib/domain/webhook-events";

import { plainText, uuidSchema } from "./fields";

/** Register a webhook endpoint. A blank secret is generated (and shown once). */
export const createWebhookSchema = z.object({
  url: plainText({ error: "Give the receiver's URL." })
    .trim()
    .max(2000, { error: "Keep the URL under 2000 characters." })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
        } catch {
          return false;
        }
      },
      { error: "Give an http:// or https:// URL without user name or password." },
    ),
  secret: plainText()
    .trim()
    .max(200, { error: "Keep the secret under 200 characters." })
    .refine((value) => value === "" || value.length >= 16, {
      error: "A secret is at least 16 characters (leave it blank to have one generated).",
    })
    .optional()
    .transform((value) => (value ? value : undefined)),
  events: z
    .array(z.enum(WEBHOOK_EVENTS), { error: "Choose the events to send." })
    .min(1, { error: "Choose at least one event." }),
});
export type CreateWebhook = z.infer<typeof createWebhookSchema>;

/** Remove an endpoint and its deliveries. */
export const deleteWebhookSchema = z.object({ endpointId: uuidSchema });
export type DeleteWebhook = z.infer<typeof deleteWebhookSchema>;
