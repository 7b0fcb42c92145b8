import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { NotFoundError, ValidationError } from "@/lib/domain/errors";
import { isSealedSecret, openSecret } from "@/lib/util/secret-box";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { createWebhookEndpoint, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints } from "./endpoints";
import { recordEvent } from "./record-event";

const key = randomBytes(32);
const env = { FLEETPIN_SECRET_KEY: key.toString("base64") };

describe.each(availableBackends())("webhook endpoints on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["webhook_endpoints", "webhook_deliveries", "audit_log"] });

  it("creates with a generated secret shown once, lists without it, and audits", async () => {
    const created = await createWebhookEndpoint(
      db(),
      { url: "https://hooks.example.com/a", events: ["pin.promoted", "pin.promoted", "operation.failed"] },
      "alice@example.com",
      env,
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
      env,
    );
    const b = await createWebhookEndpoint(
      db(),
      { url: "https://b.example.com/", secret: "0123456789abcdef", events: ["pin.promoted"] },
      "alice@example.com",
      env,
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
      env,
    );
    // The audit log is readable by viewers: the URL's credential part is not in it.
    expect(await db().auditLog.findFirst({ where: { action: "webhook.create", targetId: slack.id } })).toMatchObject({
      after: { url: "https://hooks.slack.com/services/T1/B2/abcd…" },
    });
    await expect(deleteWebhookEndpoint(db(), a.id, "bob@example.com")).rejects.toBeInstanceOf(NotFoundError);
    await expect(getWebhookEndpoint(db(), "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("stores the secret sealed with the key, never as given", async () => {
    const given = "a-secret-the-receiver-knows-0123";
    const created = await createWebhookEndpoint(
      db(),
      { url: "https://hooks.example.com/sealed", secret: given, events: ["pin.promoted"] },
      "alice@example.com",
      env,
    );
    expect(created.secret).toBe(given);
    const [row] = await db().$queryRawUnsafe<{ secret: string }[]>(
      "SELECT secret FROM webhook_endpoints WHERE id = $1::uuid",
      created.id,
    );
    expect(row!.secret).not.toContain(given);
    expect(row!.secret).toMatch(/^v1:/);
    expect(isSealedSecret(row!.secret)).toBe(true);
    expect(openSecret(row!.secret, key)).toBe(given);
    // Pages and the audit log never see it, sealed or not.
    expect((await getWebhookEndpoint(db(), created.id)).endpoint).not.toHaveProperty("secret");
    const audit = await db().auditLog.findFirst({ where: { action: "webhook.create", targetId: created.id } });
    expect(JSON.stringify([audit?.before, audit?.after])).not.toContain(given);
  });

  it("refuses to create an endpoint on PostgreSQL without FLEETPIN_SECRET_KEY, and writes nothing", async () => {
    const attempt = createWebhookEndpoint(
      db(),
      { url: "https://hooks.example.com/nokey", secret: "0123456789abcdef", events: ["pin.promoted"] },
      "alice@example.com",
      { DATABASE_URL: "postgres://fleetpin@127.0.0.1:5432/fleetpin" },
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/Set FLEETPIN_SECRET_KEY .* to store webhook secrets/);
    await expect(attempt).rejects.toMatchObject({ fieldErrors: { secret: ["FLEETPIN_SECRET_KEY is not set."] } });
    expect(await db().webhookEndpoint.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });
});
