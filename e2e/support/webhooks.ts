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

/** Deletes the receiver with this URL on Settings → Webhooks, so later journeys' events are not sent to it. */
export async function deleteWebhookEndpoint(page: Page, url: string): Promise<void> {
  await page.goto("/settings/webhooks");
  const row = page.getByTestId("webhooks-table").locator("tbody tr").filter({ hasText: url });
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
}
