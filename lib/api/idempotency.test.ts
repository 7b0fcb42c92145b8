import { describe, expect, it } from "vitest";

import { bulkReprovisionRoute } from "@/lib/api/routes/operation-starts";
import { callRoute, makeToken, testApiDeps } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { withIdempotencyKey, type Answer } from "./idempotency";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe.each(availableBackends())("Idempotency-Key on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: [
      "api_tokens",
      "api_idempotency_keys",
      "audit_log",
      "operations",
      "operation_items",
      "workspaces",
      "runtime_image_pins",
    ],
  });

  async function staleFleet() {
    await db().$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${A})`;
    await db()
      .$executeRaw`INSERT INTO workspaces (name, runtime, runtime_image_digest, status) SELECT 'ws-' || g, 'hermes', ${B}, 'online' FROM generate_series(1, 3) g`;
  }

  it("a retried bulk POST makes one operation: the retry gets the first answer, marked replayed", async () => {
    await staleFleet();
    const { token } = await makeToken(db(), "operator");
    const started: string[] = [];
    const deps = testApiDeps(db, { startOperation: (id) => void started.push(id) });
    const send = (body: unknown, key = "ci-run-1234") =>
      callRoute(bulkReprovisionRoute, deps, "/reprovision", {}, { token, body, headers: { "Idempotency-Key": key } });

    const first = await send({ template: "hermes", reason: "roll out A" });
    const retry = await send({ template: "hermes", reason: "roll out A" });

    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("location")).toBe(`/api/v1/operations/${first.body.operation_id}`);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await db().operation.count()).toBe(1);
    expect(started).toEqual([first.body.operation_id]);
    expect(await db().auditLog.count({ where: { action: "operation.reprovision_requested" } })).toBe(1);

    const otherBody = await send({ template: "hermes", reason: "something else" });
    expect(otherBody).toMatchObject({ status: 422, body: { code: "idempotency_key_reused" } });
    // An expected failure is an answer too: replayed, not retried.
    const refusedFirst = await send({ template: "langgraph", reason: "x" }, "key-2");
    const refusedAgain = await send({ template: "langgraph", reason: "x" }, "key-2");
    expect(refusedFirst.status).toBe(422);
    expect(refusedAgain).toMatchObject({ status: 422, body: refusedFirst.body });
    expect(refusedAgain.headers.get("idempotent-replayed")).toBe("true");
    expect(refusedAgain.headers.get("content-type")).toBe("application/problem+json");
    const bad = await send({ reason: "x" }, "has space");
    expect(bad).toMatchObject({ status: 422, body: { errors: { idempotency_key: [expect.any(String)] } } });
  });

  it("keys are per token, and kept 24 hours", async () => {
    await staleFleet();
    const one = await makeToken(db(), "operator");
    const other = await makeToken(db(), "operator");
    let calls = 0;
    const produce = async (): Promise<Answer> => ({ status: 200, body: { call: ++calls } });
    const request = (tokenId: string) => ({ tokenId, key: "k", method: "POST", path: "/api/v1/sync", rawBody: "{}" });

    expect((await withIdempotencyKey(db(), request(one.id), produce)).body).toEqual({ call: 1 });
    expect((await withIdempotencyKey(db(), request(other.id), produce)).body).toEqual({ call: 2 });
    expect((await withIdempotencyKey(db(), request(one.id), produce)).body).toEqual({ call: 1 });
    await db()
      .$executeRaw`UPDATE api_idempotency_keys SET created_at = now() - interval '25 hours' WHERE token_id = ${one.id}::uuid`;
    expect((await withIdempotencyKey(db(), request(one.id), produce)).body).toEqual({ call: 3 });
  });

  it("a second request while the first still runs gets 409, never a second run; a failed first run frees the key", async () => {
    const { id } = await makeToken(db(), "operator");
    const request = { tokenId: id, key: "k", method: "POST", path: "/api/v1/reprovision", rawBody: '{"reason":"x"}' };
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async (): Promise<Answer> => {
      calls++;
      await gate;
      return { status: 202, body: { operation_id: "first" } };
    };
    const first = withIdempotencyKey(db(), request, slow);
    // Wait until the first has claimed the key (its row exists), then race it.
    while ((await db().apiIdempotencyKey.count()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await withIdempotencyKey(db(), request, slow);
    expect(second).toMatchObject({ status: 409, body: { code: "idempotency_in_progress" } });
    release();
    expect(await first).toEqual({ status: 202, body: { operation_id: "first" } });
    expect(await withIdempotencyKey(db(), request, slow)).toEqual({
      status: 202,
      body: { operation_id: "first" },
      replayed: true,
    });
    expect(calls).toBe(1);

    const failing = { ...request, key: "k2" };
    await expect(withIdempotencyKey(db(), failing, async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect((await withIdempotencyKey(db(), failing, async () => ({ status: 500, body: {} }))).status).toBe(500);
    expect(await withIdempotencyKey(db(), failing, async () => ({ status: 202, body: { ok: 1 } }))).toEqual({
      status: 202,
      body: { ok: 1 },
    });
  });
});
