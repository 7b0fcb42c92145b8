// Webhook endpoints as an operator adds them, for the journeys that need a receiver.
import { expect, type Page } from "@playwright/test";

/** Adds a receiver on Settings → Webhooks (every event checked, as the form starts), with this secret. */
export async function addWebhookEndpoint(page: Page, url: string, secret: string): Promise<void> {
  await page.goto("/settings/webhooks");
  const form = page.getByTestId("create-webhook-form");
  await form.getByLabel("Receiver URL").fill(url);
  await form.getByLabel("Secret").fill(secret);
  await form.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toContainText(secret);
  await expect(page.getByTestId("webhooks-table")).toContainText(url);
}
