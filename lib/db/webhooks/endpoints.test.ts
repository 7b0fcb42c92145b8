import { describe, expect, it } from "vitest";

import { NotFoundError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { createWebhookEndpoint, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints } from "./endpoints";
import { recordEvent } from "./record-event";

describe.each(availableBackends())("webhook endpoints on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["webhook_endpoints", "webhook_deliveries", "audit_log"] });

  it("creates with a generated secret shown once, lists without it, and audits", async () => {
    const created = await createWebhookEndpoint(
      db(),
      { url: "https://hooks.example.com/a", events: ["pin.promoted", "pin.promoted", "operation.failed"] },
      "alice@example.com",
    );
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(created.events).toEqual(["pin.promoted", "operation.failed"]);
    const [listed] = await listWebhookEndpoints(db());
    expect(listed).toEqual({
      id: created.id,
      url: "https://hooks.example.com/a",
      events: ["pin.promoted", "operation.failed"],
      enabled: true,
      createdBy: "alice@example.com",
      createdAt: expect.any(Date),
    });
    expect(listed).not.toHaveProperty("secret");
    expect(await db().auditLog.findFirst({ where: { action: "webhook.create" } })).toMatchObject({
      actor: "alice@example.com",
      targetType: "webhook",
      targetId: created.id,
    });
  });

  it("records one delivery per subscribed endpoint, and deleting an endpoint takes its deliveries", async () => {
    const a = await createWebhookEndpoint(
      db(),
      { url: "https://a.example.com/", secret: "0123456789abcdef", events: ["pin.unpinned"] },
      "alice@example.com",
    );
    const b = await createWebhookEndpoint(
      db(),
      { url: "https://b.example.com/", secret: "0123456789abcdef", events: ["pin.promoted"] },
      "alice@example.com",
    );
    expect(await db().$transaction((tx) => recordEvent(tx, "pin.unpinned", { template: "hermes" }))).toBe(1);
    const { deliveries } = await getWebhookEndpoint(db(), a.id);
    expect(deliveries).toEqual([expect.objectContaining({ event: "pin.unpinned", status: "pending", attempts: 0 })]);
    expect((await getWebhookEndpoint(db(), b.id)).deliveries).toEqual([]);

    await deleteWebhookEndpoint(db(), a.id, "bob@example.com");
    expect(await db().webhookDelivery.count()).toBe(0);
    expect(await db().auditLog.findFirst({ where: { action: "webhook.delete" } })).toMatchObject({
      actor: "bob@example.com",
      before: { url: "https://a.example.com/" },
    });
    const slack = await createWebhookEndpoint(
      db(),
      { url: "https://hooks.slack.com/services/T1/B2/abcdefghijklmnopqrstuvwx", events: ["pin.promoted"] },
      "alice@example.com",
    );
    // The audit log is readable by viewers: the URL's credential part is not in it.
    expect(await db().auditLog.findFirst({ where: { action: "webhook.create", targetId: slack.id } })).toMatchObject({
      after: { url: "https://hooks.slack.com/services/T1/B2/abcd…" },
    });
    await expect(deleteWebhookEndpoint(db(), a.id, "bob@example.com")).rejects.toBeInstanceOf(NotFoundError);
    await expect(getWebhookEndpoint(db(), "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });
});
