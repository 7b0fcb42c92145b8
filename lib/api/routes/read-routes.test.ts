import { describe, expect, it } from "vitest";

import { quarantineDigestTx } from "@/lib/db/ledger/quarantine";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { promotePin } from "@/lib/db/pins";
import { callRoute, makeToken, testApiDeps } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { listAuditRoute } from "./audit";
import { getOperationRoute } from "./operations";
import { listPinsRoute, platformPinsRoute } from "./pins";
import { fleetRoute, listWorkspacesRoute } from "./workspaces";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const SHA = "0123456789abcdef0123456789abcdef01234567";
const ENV = { MOLECULE_IMAGE_REGISTRY: "registry.test/molecule" };

describe.each(availableBackends())("API v1 read routes on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: [
      "api_tokens",
      "audit_log",
      "runtime_image_pins",
      "runtime_image_pin_history",
      "operations",
      "operation_items",
      "workspaces",
      "template_digests",
      "template_digest_tags",
    ],
  });

  async function seed() {
    await promotePin(
      db(),
      { templateName: "hermes", digest: B, expectedDigest: null, reason: "first" },
      "olga@example.com",
    );
    await promotePin(
      db(),
      { templateName: "hermes", digest: A, expectedDigest: B, reason: "CI build 42", gitSha: SHA },
      "token:ci (created by olga@example.com)",
    );
    await db().$executeRaw`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status, created_at)
      SELECT 'ws-' || g, 'hermes', CASE WHEN g <= 2 THEN ${A} ELSE ${B} END, 'online', timestamptz '2026-01-01' + (g || ' seconds')::interval
      FROM generate_series(1, 5) g`;
    return (await makeToken(db(), "viewer")).token;
  }

  it("GET /pins: one entry per template, image_ref and git_sha of the pin, null digest when unpinned", async () => {
    const token = await seed();
    const { status, body } = await callRoute(listPinsRoute, testApiDeps(db, { env: ENV }), "/pins", {}, { token });
    expect(status).toBe(200);
    const hermes = body.pins.find((pin: { template_name: string }) => pin.template_name === "hermes");
    expect(hermes).toEqual({
      template_name: "hermes",
      image_digest: A,
      image_ref: `registry.test/molecule/workspace-template-hermes@${A}`,
      git_sha: SHA,
      notes: "CI build 42",
      updated_by: "token:ci (created by olga@example.com)",
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      rollback_target: B,
      rollback_target_quarantined: false,
      workspace_count: 5,
      stale_count: 3,
    });
    const langgraph = body.pins.find((pin: { template_name: string }) => pin.template_name === "langgraph");
    expect(langgraph).toMatchObject({
      image_digest: null,
      image_ref: "registry.test/molecule/workspace-template-langgraph:latest",
      git_sha: null,
      rollback_target: null,
    });
  });

  it("GET /pins and GET /workspaces mark a quarantined digest where it appears", async () => {
    const token = await seed();
    await db().$transaction((tx) =>
      quarantineDigestTx(tx, { templateName: "hermes", digest: B, reason: "B leaks memory" }, "olga@example.com"),
    );
    const deps = testApiDeps(db, { env: ENV });
    const pins = await callRoute(listPinsRoute, deps, "/pins", {}, { token });
    expect(pins.body.pins.find((pin: { template_name: string }) => pin.template_name === "hermes")).toMatchObject({
      rollback_target: B,
      rollback_target_quarantined: true,
    });
    const workspaces = await callRoute(listWorkspacesRoute, deps, "/workspaces", {}, { token });
    const marks = Object.fromEntries(
      workspaces.body.workspaces.map((w: { digest: string; digest_quarantined: boolean }) => [
        w.digest,
        w.digest_quarantined,
      ]),
    );
    expect(marks).toEqual({ [A]: false, [B]: true });
  });

  it("GET /runtime-image: the platform's shape, pinned templates only", async () => {
    const token = await seed();
    const { status, body } = await callRoute(platformPinsRoute, testApiDeps(db), "/runtime-image", {}, { token });
    expect(status).toBe(200);
    expect(body).toEqual({ pins: [{ template_name: "hermes", region: "global", image_digest: A, git_sha: SHA }] });
  });

  it("GET /workspaces: the page's filters, a cursor to the next page, 422 for a bad filter", async () => {
    const token = await seed();
    const deps = testApiDeps(db);
    const first = await callRoute(
      listWorkspacesRoute,
      deps,
      "/workspaces",
      {},
      { token, query: { staleness: "stale", limit: "2" } },
    );
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.workspaces.map((w: { name: string }) => w.name)).toEqual(["ws-5", "ws-4"]);
    expect(first.body.workspaces[0]).toMatchObject({
      template: "hermes",
      status: "online",
      digest: B,
      pinned_digest: A,
      staleness: "stale",
      container_id: null,
      locked: false,
    });
    const second = await callRoute(
      listWorkspacesRoute,
      deps,
      "/workspaces",
      {},
      { token, query: { staleness: "stale", limit: "2", cursor: first.body.next_cursor } },
    );
    expect(second.body.workspaces.map((w: { name: string }) => w.name)).toEqual(["ws-3"]);
    expect(second.body.next_cursor).toBeNull();
    const bad = await callRoute(
      listWorkspacesRoute,
      deps,
      "/workspaces",
      {},
      { token, query: { staleness: "old", limit: "5000" } },
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(["limit", "staleness"]);
  });

  it("GET /fleet: per-template counts", async () => {
    const token = await seed();
    const { body } = await callRoute(fleetRoute, testApiDeps(db), "/fleet", {}, { token });
    expect(body.templates).toEqual([
      { template_name: "hermes", pinned_digest: A, total: 5, on_pin: 2, stale: 3, unknown: 0, down: 0 },
    ]);
  });

  it("GET /operations/{id}: status, counters and items; 404 for an unknown or malformed id", async () => {
    const token = await seed();
    const { operationId } = await enqueueReprovision(
      db(),
      { allStale: true, reason: "roll out A" },
      "olga@example.com",
    );
    const deps = testApiDeps(db);
    const { status, body } = await callRoute(
      getOperationRoute,
      deps,
      `/operations/${operationId}`,
      { id: operationId },
      { token },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: operationId,
      kind: "bulk_reprovision",
      status: "queued",
      total: 3,
      queued: 3,
      succeeded: 0,
      failed: 0,
      reason: "roll out A",
      cancel_requested: false,
      items_omitted: 0,
    });
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toEqual(
      expect.objectContaining({ workspace_id: expect.any(String), status: "queued", error: null }),
    );
    const unknown = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";
    expect(
      (await callRoute(getOperationRoute, deps, `/operations/${unknown}`, { id: unknown }, { token })).status,
    ).toBe(404);
    expect((await callRoute(getOperationRoute, deps, "/operations/nope", { id: "nope" }, { token })).status).toBe(404);
  });

  it("GET /audit: newest first, filtered by action prefix, paged", async () => {
    const token = await seed();
    const deps = testApiDeps(db);
    const first = await callRoute(listAuditRoute, deps, "/audit", {}, { token, query: { action: "pin.", limit: "1" } });
    expect(first.status).toBe(200);
    expect(first.body.entries).toEqual([
      expect.objectContaining({
        action: "pin.promote",
        actor: "token:ci (created by olga@example.com)",
        target_type: "pin",
        template: "hermes",
        reason: "CI build 42",
        after: { digest: A, gitSha: SHA },
      }),
    ]);
    const second = await callRoute(
      listAuditRoute,
      deps,
      "/audit",
      {},
      { token, query: { action: "pin.", limit: "1", cursor: first.body.next_cursor } },
    );
    expect(second.body.entries[0]).toMatchObject({ reason: "first", actor: "olga@example.com" });
    expect(
      (await callRoute(listAuditRoute, deps, "/audit", {}, { token, query: { action: "DROP TABLE" } })).status,
    ).toBe(422);
  });
});
