import { randomBytes } from "node:crypto";

import { expect, test, type BrowserContext } from "@playwright/test";

import { bearer, tokenCreate } from "@/e2e/support/api";
import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";
import { queryOwnDatabase, startJourneyServer, type OwnServer } from "@/e2e/support/own-server";
import { addWebhookEndpoint } from "@/e2e/support/webhooks";
import { verifySignature } from "@/lib/webhooks/signature";
import { buildAndPushTestImage } from "@/test/images";
import { freePort, startReceiver, type TestReceiver } from "@/test/webhook-receiver";

// Webhook deliveries are rows in the database, not promises in a process: one still pending when
// the server stops goes out from the next server process. The shared e2e server cannot be
// restarted, so this journey runs a server of its own.
const TEMPLATE = "gemini-cli";
const suffix = randomBytes(3).toString("hex");
const namespace = `e2e-hooks-${suffix}`;
const SECRET = `whsec-restart-${suffix}-0123456789`;

let server: OwnServer | null = null;
let context: BrowserContext | null = null;
let receiver: TestReceiver | null = null;

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await receiver?.close();
  await server?.stop();
});

test("[API] webhooks survive a restart: a delivery pending while the receiver was down goes out from the restarted server", async ({
  browser,
}, testInfo) => {
  test.setTimeout(300_000);
  const image = await buildAndPushTestImage({
    repository: `${namespace}/workspace-template-${TEMPLATE}`,
    tag: `a-${suffix}`,
    marker: `${TEMPLATE}-restart-${suffix}`,
    registryHost: e2eEnv.registryHost,
  });
  server = await startJourneyServer(testInfo, namespace, {
    FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS: "1",
  });
  context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  const token = await tokenCreate(`hooks-${suffix}`, "operator", { databaseUrl: server.databaseUrl });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hook`;
  await signIn(page, "operator");
  await addWebhookEndpoint(page, url, SECRET);

  const promoted = await page.request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
    headers: bearer(token),
    data: { digest: image.digest, reason: "before the restart" },
  });
  expect(promoted.status()).toBe(200);
  const delivery = () =>
    queryOwnDatabase(
      server!.databaseUrl,
      "SELECT status || ' ' || (attempts >= 1) FROM webhook_deliveries WHERE event = 'pin.promoted'",
    );
  await expect.poll(delivery, { timeout: 60_000 }).toBe("pending true");

  const events: string[] = [];
  await server.restart(async () => {
    events.push("server stopped");
    receiver = await startReceiver({ port });
    events.push(`receiver up while no server runs, ${receiver.received.length} requests`);
  });
  events.push("server started again");
  // Whatever the receiver gets from here on, only the restarted process can have sent.
  expect(events).toEqual(["server stopped", "receiver up while no server runs, 0 requests", "server started again"]);

  await expect.poll(() => receiver!.received.length, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
  const [received] = receiver!.received;
  expect(verifySignature(SECRET, received!.body, received!.headers["x-fleetpin-signature"] as string)).toBe(true);
  expect(JSON.parse(received!.body)).toMatchObject({
    event: "pin.promoted",
    data: { template: TEMPLATE, to_digest: image.digest },
  });
  await expect.poll(delivery, { timeout: 30_000 }).toBe("delivered true");
});
