import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect, test, type Page, type TestInfo } from "@playwright/test";

import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";
import { buildAndPushTestImage } from "@/test/images";

// Settings → Webhooks in the browser: register a loopback receiver, promote through the pins
// page, and see the signed delivery arrive and be listed with its response code.
const TEMPLATE = "gemini-cli";
const suffix = randomBytes(3).toString("hex");
const SECRET = `e2e-webhook-secret-${suffix}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let receiver: Server;

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("[WEBHOOKS] an operator registers a receiver, a promote reaches it signed, and the delivery is listed", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook-${suffix}`;
  const image = await buildAndPushTestImage({
    repository: e2eEnv.templateRepository(TEMPLATE),
    tag: `hook-${suffix}`,
    marker: `${TEMPLATE}-hook-${suffix}`,
    registryHost: e2eEnv.registryHost,
  });

  await signIn(page, "operator");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);

  const form = page.getByTestId("create-webhook-form");
  await form.getByLabel("Receiver URL").fill(url);
  await form.getByLabel("Secret").fill(SECRET);
  for (const box of await form.getByRole("checkbox").all()) {
    if ((await box.getAttribute("value")) !== "pin.promoted") await box.uncheck();
  }
  await form.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toContainText(SECRET);
  const row = page
    .getByTestId("webhooks-table")
    .getByRole("row")
    .filter({ hasText: `hook-${suffix}` });
  await expect(row).toContainText("pin.promoted");
  await shot(page, testInfo, "webhooks-01-registered");

  await page.goto("/pins");
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const promote = page.getByTestId(`promote-form-${TEMPLATE}`);
  await promote.getByLabel("Digest or tag").fill(image.digest);
  await promote.getByLabel("Reason").fill(`webhook journey ${suffix}`);
  await promote.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", image.digest);

  // The receiver gets one signed delivery for this promote (the journeys run one at a time,
  // and the endpoint only subscribed to pin.promoted).
  await expect.poll(() => received.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const delivery = received[0]!;
  const expected = `sha256=${createHmac("sha256", SECRET).update(delivery.body).digest("hex")}`;
  expect(delivery.headers["x-fleetpin-signature"]).toBe(expected);
  const body = JSON.parse(delivery.body) as { event: string; text: string; data: Record<string, unknown> };
  expect(body.event).toBe("pin.promoted");
  expect(body.data).toMatchObject({ template: TEMPLATE, to_digest: image.digest });
  expect(body.text).toContain(`${TEMPLATE} pinned to`);

  await page.goto("/settings/webhooks");
  await row.getByRole("link").click();
  const deliveries = page.getByTestId("webhook-deliveries");
  await expect(deliveries.getByRole("row").filter({ hasText: "pin.promoted" })).toContainText("delivered");
  await expect(deliveries.getByRole("row").filter({ hasText: "pin.promoted" })).toContainText("200");
  await shot(page, testInfo, "webhooks-02-delivered");

  // Removing it leaves the later journeys' promotes with nothing to send here.
  await page.goto("/settings/webhooks");
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
});
