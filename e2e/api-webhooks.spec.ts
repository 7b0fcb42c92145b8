import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { bearer, sql, tokenCreate } from "@/e2e/support/api";
import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";
import { addWebhookEndpoint, deleteWebhookEndpoint } from "@/e2e/support/webhooks";
import { verifySignature } from "@/lib/webhooks/signature";
import { buildAndPushTestImage } from "@/test/images";
import { freePort, startReceiver, type ReceivedRequest, type TestReceiver } from "@/test/webhook-receiver";

// Outgoing webhooks from the built server: endpoints registered on Settings → Webhooks, pins moved
// through /api/v1 by a CI token, and receivers on loopback that answer, hang, or are down at first.
const TEMPLATE = "openclaw";
const suffix = randomBytes(3).toString("hex");
const SECRET = `whsec-e2e-${suffix}-0123456789`;
const receivers: TestReceiver[] = [];

test.afterAll(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

/** This template's pin.promoted deliveries a receiver got, each checked against the endpoint's secret. */
function promotions(receiver: TestReceiver): ReceivedRequest[] {
  return receiver.received.filter((request) => {
    const body = JSON.parse(request.body);
    return body.event === "pin.promoted" && body.data?.template === TEMPLATE;
  });
}

test("[API] webhooks: signed deliveries of API promotes; a hanging receiver does not delay the promote; a receiver that was down gets it once back", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const push = (tag: string) =>
    buildAndPushTestImage({
      repository: e2eEnv.templateRepository(TEMPLATE),
      tag: `${tag}-${suffix}`,
      marker: `${TEMPLATE}-${tag}-${suffix}`,
      registryHost: e2eEnv.registryHost,
    });
  const a = await push("a");
  const b = await push("b");
  const token = await tokenCreate(`hooks-${suffix}`, "operator");
  const hanging = await startReceiver({ hold: true });
  receivers.push(hanging);
  const downPort = await freePort();
  const downUrl = `http://127.0.0.1:${downPort}/hook`;

  await signIn(page, "operator");
  await addWebhookEndpoint(page, hanging.url, SECRET);
  await addWebhookEndpoint(page, downUrl, SECRET);

  const promote = async (digest: string, expected: string | null) => {
    const response = await request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
      headers: bearer(token),
      data: { digest, expected_digest: expected, reason: `webhooks ${digest.slice(7, 13)}` },
    });
    expect(response.status()).toBe(200);
  };

  await test.step("the promote returns while the receiver still holds the previous delivery open", async () => {
    const events: string[] = [];
    await promote(a.digest, null);
    await expect.poll(() => hanging.held(), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    events.push("the receiver holds the delivery of A");
    await promote(b.digest, a.digest);
    events.push(`promote B answered 200 while the receiver ${hanging.held() >= 1 ? "still holds" : "released"} A`);
    hanging.release();
    expect(events).toEqual([
      "the receiver holds the delivery of A",
      "promote B answered 200 while the receiver still holds A",
    ]);
  });

  await test.step("both deliveries arrive, JSON with a text line, signed with the endpoint's secret", async () => {
    await expect.poll(() => promotions(hanging).length, { timeout: 60_000 }).toBe(2);
    const bodies = promotions(hanging).map((delivery) => {
      expect(verifySignature(SECRET, delivery.body, delivery.headers["x-fleetpin-signature"] as string)).toBe(true);
      expect(delivery.headers["content-type"]).toBe("application/json");
      return JSON.parse(delivery.body);
    });
    expect(bodies.map((body) => body.data.to_digest)).toEqual([a.digest, b.digest]);
    for (const body of bodies) {
      expect(body.text).toMatch(new RegExp(`^Fleetpin: ${TEMPLATE} pinned to sha256:`));
      expect(body.data.actor).toMatch(new RegExp(`^token:hooks-${suffix} \\(created by cli:`));
    }
  });

  await test.step("the receiver that was down gets both once it is back; the endpoint page lists them", async () => {
    const failedAttempts = () =>
      sql(
        `SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.url = '${downUrl}' AND d.status = 'pending' AND d.attempts >= 1 AND d.last_error IS NOT NULL`,
      );
    await expect.poll(failedAttempts, { timeout: 60_000 }).toBe("2");
    const back = await startReceiver({ port: downPort });
    receivers.push(back);
    await expect.poll(() => promotions(back).length, { timeout: 90_000 }).toBe(2);
    for (const delivery of promotions(back))
      expect(verifySignature(SECRET, delivery.body, delivery.headers["x-fleetpin-signature"] as string)).toBe(true);

    await page.goto("/settings/webhooks");
    await page.getByRole("link", { name: downUrl }).click();
    const rows = page.getByTestId("webhook-deliveries").locator("tbody tr");
    await expect(rows.filter({ hasText: "pin.promoted" }).filter({ hasText: "delivered" })).toHaveCount(2);
    await expect(rows.filter({ hasText: "delivered" }).first()).toContainText("200");
  });

  await test.step("both endpoints are deleted: the later journeys' events go nowhere", async () => {
    await deleteWebhookEndpoint(page, hanging.url);
    await deleteWebhookEndpoint(page, downUrl);
  });
});
