import { randomBytes } from "node:crypto";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { promotePin, unpinTemplate } from "@/lib/db/pins";
import { createWebhookEndpoint } from "@/lib/db/webhooks/endpoints";
import { sealPlainWebhookSecrets } from "@/lib/db/webhooks/seal-plain-secrets";
import { ConflictError } from "@/lib/domain/errors";
import { WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/domain/webhook-events";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { runOperation } from "@/lib/operations/run-operation";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { reprovisionWorkspace } from "@/lib/provisioner/reprovision/reprovision";
import { isSealedSecret } from "@/lib/util/secret-box";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";
import { randomSuffix } from "@/test/docker";
import { truncateTables } from "@/test/truncate-tables";
import { waitFor } from "@/test/wait-for";
import { freePort, startReceiver, type TestReceiver } from "@/test/webhook-receiver";

import { startWebhookDelivery, stopWebhookDispatch } from "./delivery-worker";
import { verifySignature } from "./signature";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const SECRET = "a-test-secret-of-some-length";
const ACTOR = "alice@example.com";
// The key the delivery worker opens secrets with (FLEETPIN_SECRET_KEY), and one it does not have.
const KEYED = { FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };
const OTHER_KEY = { FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };

describe.each(availableBackends())("webhook delivery on %s", (backend) => {
  let database: TestDatabase;
  const receivers: TestReceiver[] = [];
  const db = () => database.db;
  // Short backoff (0.2 s, 0.4 s, …) and a fast dispatcher; a long attempt timeout so held requests stay held.
  const startDelivery = () =>
    startWebhookDelivery(db(), {
      env: { FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS: "0.2", ...KEYED },
      dispatchIntervalMs: 200,
      timeoutMs: 30_000,
    });
  const receiver = async (options: Parameters<typeof startReceiver>[0] = {}) => {
    const started = await startReceiver(options);
    receivers.push(started);
    return started;
  };
  const endpoint = (url: string, events: WebhookEvent[] = [...WEBHOOK_EVENTS], env = KEYED) =>
    createWebhookEndpoint(db(), { url, secret: SECRET, events }, ACTOR, env);
  const storedSecret = async (id: string) =>
    (
      await db().$queryRawUnsafe<{ secret: string }[]>("SELECT secret FROM webhook_endpoints WHERE id = $1::uuid", id)
    )[0]!.secret;
  const signedWith = (secret: string, request: { body: string; headers: Record<string, unknown> }) =>
    verifySignature(secret, request.body, request.headers["x-fleetpin-signature"] as string);
  const promote = (to: string, from: string | null) =>
    promotePin(
      db(),
      { templateName: "hermes", digest: to, expectedDigest: from, reason: `to ${to.slice(7, 9)}` },
      ACTOR,
    );
  const deliveries = () => db().webhookDelivery.findMany({ orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await startJobs(database);
    await startDelivery();
  });
  afterAll(async () => {
    stopWebhookDispatch();
    await stopJobs();
    await database?.close();
  });
  beforeEach(async () => {
    await truncateTables(db(), [
      "webhook_endpoints",
      "webhook_deliveries",
      "runtime_image_pins",
      "runtime_image_pin_history",
      "audit_log",
      "operations",
      "workspaces",
    ]);
  });
  afterEach(async () => {
    for (const started of receivers.splice(0)) await started.close();
  });

  it("posts a signed JSON body to each subscribed endpoint, and nothing for a change that rolled back", async () => {
    const hook = await receiver();
    const other = await receiver();
    const subscribed = await endpoint(hook.url, ["pin.promoted"]);
    await endpoint(other.url, ["pin.unpinned"]);

    await promote(digest("a"), null);
    await expect(promote(digest("b"), digest("c"))).rejects.toBeInstanceOf(ConflictError);
    await waitFor(async () => (await deliveries()).every((row) => row.status === "delivered"), "the delivery");

    expect(hook.received).toHaveLength(1);
    expect(other.received).toHaveLength(0);
    const [request] = hook.received;
    expect(verifySignature(SECRET, request!.body, request!.headers["x-fleetpin-signature"] as string)).toBe(true);
    expect(
      verifySignature("another-secret-entirely", request!.body, request!.headers["x-fleetpin-signature"] as string),
    ).toBe(false);
    const body = JSON.parse(request!.body);
    const [row] = await deliveries();
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "x-fleetpin-event": "pin.promoted",
      "x-fleetpin-delivery": row!.id,
    });
    expect(body).toEqual({
      event: "pin.promoted",
      text: `Fleetpin: hermes pinned to ${digest("a").slice(0, 19)} by ${ACTOR} (was unpinned): to aa`,
      data: { template: "hermes", from_digest: null, to_digest: digest("a"), actor: ACTOR, reason: "to aa" },
      id: row!.id,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(row).toMatchObject({
      endpointId: subscribed.id,
      status: "delivered",
      attempts: 1,
      lastResponseCode: 200,
      lastError: null,
    });
  });

  it("keeps retrying a receiver that is down and delivers once it is back", async () => {
    const port = await freePort();
    await endpoint(`http://127.0.0.1:${port}/hook`, ["pin.promoted", "pin.unpinned"]);
    await promote(digest("a"), null);
    await waitFor(async () => ((await deliveries())[0]?.attempts ?? 0) >= 2, "two failed attempts");
    const [failing] = await deliveries();
    expect(failing).toMatchObject({
      status: "pending",
      lastResponseCode: null,
      lastError: expect.stringContaining("ECONNREFUSED"),
    });

    const back = await receiver({ port });
    await waitFor(
      async () => (await deliveries())[0]?.status === "delivered",
      "the delivery after the receiver came back",
    );
    expect(back.received).toHaveLength(1);
    expect(JSON.parse(back.received[0]!.body).event).toBe("pin.promoted");
  });

  it("does not hold up a promote while a receiver hangs on an earlier delivery", async () => {
    const hanging = await receiver({ hold: true });
    await endpoint(hanging.url, ["pin.promoted", "pin.unpinned"]);
    const events: string[] = [];

    await promote(digest("a"), null);
    await waitFor(async () => hanging.held() === 1, "the receiver holding the first delivery");
    events.push("receiver holds a delivery");
    // The promote the issue names: it returns (its pin moved, its delivery queued) while the receiver still hangs.
    const change = await promote(digest("b"), digest("a"));
    // At least the first delivery is still held (the new one may be held too by now).
    const holding = hanging.held() >= 1 ? "still holds" : "released";
    events.push(`promote to ${change.toDigest?.slice(7, 9)} returned while the receiver ${holding} a delivery`);
    hanging.release();
    events.push("released");

    expect(events).toEqual([
      "receiver holds a delivery",
      "promote to bb returned while the receiver still holds a delivery",
      "released",
    ]);
    await waitFor(
      async () => (await deliveries()).filter((row) => row.status === "delivered").length === 2,
      "both deliveries",
    );
    expect(hanging.received.map((request) => JSON.parse(request.body).data.to_digest)).toEqual([
      digest("a"),
      digest("b"),
    ]);
  });

  it("finishes deliveries across a restart of the job runner", async () => {
    const port = await freePort();
    await endpoint(`http://127.0.0.1:${port}/hook`, ["pin.promoted", "pin.unpinned"]);
    await promote(digest("a"), null);
    await waitFor(async () => ((await deliveries())[0]?.attempts ?? 0) >= 1, "a failed attempt");

    stopWebhookDispatch();
    await stopJobs();
    // Written while no runner runs: only the row knows about it.
    await unpinTemplate(db(), { templateName: "hermes", expectedDigest: digest("a"), reason: "while stopped" }, ACTOR);
    const back = await receiver({ port });
    await startJobs(database);
    await startDelivery();

    await waitFor(
      async () => (await deliveries()).every((row) => row.status === "delivered"),
      "both deliveries after the restart",
    );
    expect(back.received.map((request) => request.headers["x-fleetpin-event"]).sort()).toEqual([
      "pin.promoted",
      "pin.unpinned",
    ]);
  });

  it("emits operation.finished when a queued operation is cancelled", async () => {
    const hook = await receiver();
    await endpoint(hook.url, ["operation.finished", "operation.failed"]);
    const { operationId } = await enqueueSync(db(), ACTOR);
    await cancelOperation(db(), operationId, "bob@example.com");
    await waitFor(async () => hook.received.length === 1, "the operation event");
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({
      event: "operation.finished",
      data: { operation_id: operationId, status: "cancelled" },
    });
  });

  it("emits operation.finished when an operation runs to its end", async () => {
    const hook = await receiver();
    await endpoint(hook.url, ["operation.finished", "operation.failed"]);
    const { operationId } = await enqueueSync(db(), ACTOR);
    // A real sync against the shared test daemon: other test files' containers may be there at the
    // same time, so the counts (and whether it fully succeeds) are not this test's to fix; the event is.
    const status = await runOperation(operationId, { db: db(), docker: createDockerClient() });
    expect(status).not.toBeNull();
    await waitFor(async () => hook.received.length === 1, "the operation event");
    const body = JSON.parse(hook.received[0]!.body);
    expect(body).toMatchObject({
      event: status === "succeeded" ? "operation.finished" : "operation.failed",
      data: { operation_id: operationId, kind: "sync", status, actor: ACTOR },
    });
    expect(body.text).toMatch(
      new RegExp(
        `^Fleetpin: sync ${operationId.slice(0, 8)} ${String(status).replace("_", " ")} \\(\\d+ succeeded, \\d+ failed\\)`,
      ),
    );
  });

  it("emits workspace.reprovision_failed with the error, from the transaction that records the failure", async () => {
    const hook = await receiver();
    await endpoint(hook.url, ["workspace.reprovision_failed"]);
    await promote(digest("a"), null);
    const ws = await db().workspace.create({
      data: {
        name: "nodocker",
        runtime: "hermes",
        status: "online",
        containerId: "c".repeat(64),
        runtimeImageDigest: digest("a"),
      },
    });
    // A real client on a socket that does not exist: the pull fails before any container is touched.
    const docker = createDockerClient({ dockerHost: `unix:///tmp/fleetpin-no-docker-${randomSuffix()}.sock` });
    await expect(
      reprovisionWorkspace(ws.id, {
        db: db(),
        docker,
        actor: ACTOR,
        env: { MOLECULE_IMAGE_REGISTRY: "127.0.0.1:9/none" },
      }),
    ).rejects.toThrow(/pulling the image failed/);

    await waitFor(async () => hook.received.length === 1, "the reprovision failure event");
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({
      event: "workspace.reprovision_failed",
      text: expect.stringContaining(
        `reprovision of workspace ${ws.id.slice(0, 8)} (hermes) failed: pulling the image failed`,
      ),
      data: {
        workspace_id: ws.id,
        template: "hermes",
        stage: "pull",
        actor: ACTOR,
        error: expect.stringContaining("Docker is not reachable"),
      },
    });
  });

  it("signs with the secret it stores sealed", async () => {
    const hook = await receiver();
    const created = await endpoint(hook.url, ["pin.promoted"]);
    const stored = await storedSecret(created.id);
    expect(stored).not.toContain(SECRET);
    expect(isSealedSecret(stored)).toBe(true);

    await promote(digest("a"), null);
    await waitFor(async () => hook.received.length === 1, "the delivery");
    expect(signedWith(SECRET, hook.received[0]!)).toBe(true);
  });

  it("signs for a row still in plain text, and again once the start-up pass sealed it", async () => {
    const hook = await receiver();
    // As an earlier version wrote it: the secret as given.
    const legacy = await db().webhookEndpoint.create({
      data: { url: hook.url, secret: SECRET, events: ["pin.promoted", "pin.unpinned"], createdBy: ACTOR },
    });
    await promote(digest("a"), null);
    await waitFor(async () => hook.received.length === 1, "the delivery signed with the plain secret");
    expect(signedWith(SECRET, hook.received[0]!)).toBe(true);

    expect(await sealPlainWebhookSecrets(db(), KEYED)).toBe(1);
    const sealed = await storedSecret(legacy.id);
    expect(isSealedSecret(sealed)).toBe(true);
    expect(await sealPlainWebhookSecrets(db(), KEYED)).toBe(0);
    expect(await storedSecret(legacy.id)).toBe(sealed);

    await unpinTemplate(db(), { templateName: "hermes", expectedDigest: digest("a"), reason: "after sealing" }, ACTOR);
    await waitFor(async () => hook.received.length === 2, "the delivery signed with the sealed secret");
    expect(hook.received[1]!.headers["x-fleetpin-event"]).toBe("pin.unpinned");
    expect(signedWith(SECRET, hook.received[1]!)).toBe(true);
  });

  it("fails only the delivery whose secret was sealed with another key, naming FLEETPIN_SECRET_KEY", async () => {
    const lost = await receiver();
    const fine = await receiver();
    const sealedElsewhere = await endpoint(lost.url, ["pin.promoted"], OTHER_KEY);
    const keyed = await endpoint(fine.url, ["pin.promoted"]);

    await promote(digest("a"), null);
    const settled = async () => {
      const rows = await deliveries();
      const failing = rows.find((row) => row.endpointId === sealedElsewhere.id);
      return (
        (failing?.attempts ?? 0) >= 2 && rows.some((row) => row.endpointId === keyed.id && row.status === "delivered")
      );
    };
    await waitFor(settled, "the other endpoint's delivery, and two failed attempts of the one that cannot be signed");
    const rows = await deliveries();
    expect(rows.find((row) => row.endpointId === keyed.id)).toMatchObject({ status: "delivered", attempts: 1 });
    expect(rows.find((row) => row.endpointId === sealedElsewhere.id)).toMatchObject({
      status: "pending",
      lastResponseCode: null,
      lastError: expect.stringMatching(/secret cannot be opened.*FLEETPIN_SECRET_KEY/),
    });
    expect(lost.received).toHaveLength(0);
    expect(fine.received).toHaveLength(1);
    expect(signedWith(SECRET, fine.received[0]!)).toBe(true);
  });
});
