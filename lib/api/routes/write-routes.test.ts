// The write routes against real PostgreSQL and PGlite, the test registry and dockerd: the same
// lib/ calls as the pages, so these check the API's own part (shapes, statuses, actor) and that
// the work really happens (docker inspect), not the reprovision logic again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { liftQuarantine } from "@/lib/db/ledger/quarantine";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { callRoute, makeToken, testApiDeps, TOKEN_CREATOR } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  inspectRaw,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { bulkReprovisionRoute, cancelOperationRoute, reprovisionOneRoute, syncRoute } from "./operation-starts";
import { getOperationRoute } from "./operations";
import { platformPromoteRoute, promoteRoute, rollbackRoute, unpinRoute } from "./pin-changes";

const servicesUp = dockerServicesAvailable();
const SHA = "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4";
const ACTOR = `token:ci (created by ${TOKEN_CREATOR})`;

describe.runIf(servicesUp).each(availableBackends())(
  "API v1 write routes with the registry and dockerd on %s",
  (backend) => {
    const namespace = testNamespace("api");
    const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "2", FLEETPIN_HEALTH_SETTLE_SECONDS: "0" });
    const docker = createDockerClient();
    const db = useTestDatabase(backend);
    const runs: Promise<unknown>[] = [];
    const deps = testApiDeps(db, {
      env,
      startOperation: (id) => void runs.push(runOperation(id, { db: db(), docker, env })),
    });
    const workspaceIds: string[] = [];
    let a: PushedImage;
    let b: PushedImage;
    let token: string;

    beforeAll(async () => {
      a = await pushTemplateImage({ namespace, runtime: "hermes", marker: `A-${randomSuffix()}`, tag: "v1" });
      b = await pushTemplateImage({ namespace, runtime: "hermes", marker: `B-${randomSuffix()}`, tag: "v2" });
      token = (await makeToken(db(), "operator", { name: "ci" })).token;
    }, 120_000);
    afterAll(async () => {
      await Promise.allSettled(runs);
      for (const id of workspaceIds) await removeWorkspaceArtifacts(id);
      if (b) await removeLocalImage(b.digestRef);
    });

    const post = (route: typeof promoteRoute, path: string, params: Record<string, string>, body?: unknown) =>
      callRoute(route, deps, path, params, { token, body });
    const pin = async () => db().runtimeImagePin.findUnique({ where: { templateName: "hermes" } });

    it("promotes by tag and by digest, refuses a moved pin (409) and a tag the registry lacks (422), records the token as actor", async () => {
      const byTag = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { tag: "v1", expected_digest: null, reason: "CI build 1", git_sha: SHA.toUpperCase() },
      );
      expect(byTag).toMatchObject({
        status: 200,
        body: { template_name: "hermes", action: "promote", from_digest: null, to_digest: a.digest, git_sha: SHA },
      });
      expect(await pin()).toMatchObject({ digest: a.digest, gitSha: SHA, updatedBy: ACTOR });

      const byDigest = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { digest: b.digest, expected_digest: a.digest, reason: "CI build 2" },
      );
      expect(byDigest).toMatchObject({
        status: 200,
        body: { from_digest: a.digest, to_digest: b.digest, git_sha: null },
      });

      const moved = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { digest: a.digest, expected_digest: a.digest, reason: "stale view" },
      );
      expect(moved).toMatchObject({
        status: 409,
        body: { code: "conflict", detail: expect.stringContaining(`it is now ${b.digest}`) },
      });
      const missing = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { tag: "no-such-tag", reason: "typo" },
      );
      expect(missing).toMatchObject({
        status: 422,
        body: { errors: { tag: [expect.stringContaining("does not exist")] } },
      });
      const both = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { tag: "v1", digest: a.digest, reason: "x" },
      );
      expect(both.status).toBe(422);
      expect((await pin())?.digest).toBe(b.digest);

      const audit = await db().auditLog.findFirst({ where: { action: "pin.promote" }, orderBy: { id: "desc" } });
      expect(audit).toMatchObject({ actor: ACTOR, reason: "CI build 2" });
    });

    it("takes the platform's promote shape, and rolls back and unpins with expected_digest", async () => {
      const alias = await post(
        platformPromoteRoute,
        "/runtime-image/promote",
        {},
        { template_name: "hermes", image_digest: a.digest, git_sha: SHA, notes: "from the platform script" },
      );
      expect(alias).toMatchObject({ status: 200, body: { action: "promote", to_digest: a.digest, git_sha: SHA } });
      expect(await pin()).toMatchObject({ digest: a.digest, notes: "from the platform script", updatedBy: ACTOR });
      const unknown = await post(
        platformPromoteRoute,
        "/runtime-image/promote",
        {},
        { template_name: "no-such-runtime", image_digest: a.digest },
      );
      expect(unknown.status).toBe(404);

      const rolled = await post(
        rollbackRoute,
        "/pins/hermes/rollback",
        { template: "hermes" },
        { expected_digest: a.digest, reason: "bad build" },
      );
      expect(rolled).toMatchObject({
        status: 200,
        body: { action: "rollback", from_digest: a.digest, to_digest: b.digest, git_sha: null },
      });
      // Back to A: the commit recorded with A's last promote comes back with it.
      const forward = await post(
        rollbackRoute,
        "/pins/hermes/rollback",
        { template: "hermes" },
        { expected_digest: b.digest, reason: "B was fine after all" },
      );
      expect(forward).toMatchObject({ status: 200, body: { to_digest: a.digest, git_sha: SHA } });

      const wrong = await post(
        unpinRoute,
        "/pins/hermes",
        { template: "hermes" },
        { expected_digest: b.digest, reason: "unpin" },
      );
      expect(wrong.status).toBe(409);
      const unpinned = await post(
        unpinRoute,
        "/pins/hermes",
        { template: "hermes" },
        { expected_digest: a.digest, reason: "follow latest" },
      );
      expect(unpinned).toMatchObject({
        status: 200,
        body: { action: "unpin", from_digest: a.digest, to_digest: null },
      });
      expect(await pin()).toBeNull();
    });

    it("reprovisions one workspace and then every stale one: 202, Location, the operation succeeds, containers run the pin", async () => {
      // The rollback test above left B quarantined (a rollback quarantines the digest it leaves): lift it first.
      await liftQuarantine(db(), { templateName: "hermes", digest: b.digest, reason: "B is good again" }, "test").catch(
        () => undefined,
      );
      const promoted = await post(
        promoteRoute,
        "/pins/hermes/promote",
        { template: "hermes" },
        { digest: b.digest, reason: "roll out B" },
      );
      expect(promoted.status).toBe(200);
      const rows = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
      SELECT 'api-' || g || '-' || ${randomSuffix()}, 'hermes', ${a.digest}, 'offline' FROM generate_series(1, 3) g
      RETURNING id::text AS id`;
      const ids = rows.map((row) => row.id);
      workspaceIds.push(...ids);

      const one = await post(
        reprovisionOneRoute,
        `/workspaces/${ids[0]}/reprovision`,
        { id: ids[0]! },
        { reason: "first" },
      );
      expect(one.status).toBe(202);
      expect(one.headers.get("location")).toBe(`/api/v1/operations/${one.body.operation_id}`);
      expect(await finished(one.body.operation_id)).toMatchObject({
        kind: "reprovision",
        status: "succeeded",
        succeeded: 1,
        requested_by: ACTOR,
      });
      expect(await inspectRaw(containerName(ids[0]!))).toMatchObject({
        State: { Running: true },
        Config: { Image: b.digestRef },
      });

      const bulk = await post(
        bulkReprovisionRoute,
        "/reprovision",
        {},
        { template: "hermes", concurrency: 2, reason: "the rest" },
      );
      expect(bulk).toMatchObject({ status: 202, body: { total: 2, queued: 2, skipped: 0 } });
      const done = await finished(bulk.body.operation_id);
      expect(done).toMatchObject({
        kind: "bulk_reprovision",
        status: "succeeded",
        succeeded: 2,
        failed: 0,
        concurrency: 2,
      });
      expect(done.items.map((item: { workspace_id: string }) => item.workspace_id).sort()).toEqual(ids.slice(1).sort());
      for (const id of ids.slice(1)) {
        expect(await inspectRaw(containerName(id))).toMatchObject({
          State: { Running: true },
          Config: { Image: b.digestRef },
        });
      }
      const nothing = await post(bulkReprovisionRoute, "/reprovision", {}, { reason: "again" });
      expect(nothing).toMatchObject({
        status: 422,
        body: { detail: expect.stringContaining("Nothing to reprovision") },
      });
    }, 240_000);

    it("starts a sync and cancels it while queued; a finished operation cannot be cancelled (409)", async () => {
      const queuedOnly = testApiDeps(db, { env });
      const sync = await callRoute(syncRoute, queuedOnly, "/sync", {}, { token });
      expect(sync.status).toBe(202);
      const id = sync.body.operation_id as string;
      const cancel = await callRoute(cancelOperationRoute, queuedOnly, `/operations/${id}/cancel`, { id }, { token });
      expect(cancel).toMatchObject({
        status: 200,
        body: { operation_id: id, status: "cancelled", cancel_requested: true },
      });
      const again = await callRoute(cancelOperationRoute, queuedOnly, `/operations/${id}/cancel`, { id }, { token });
      expect(again).toMatchObject({ status: 409, body: { code: "conflict" } });
      expect(
        await db().auditLog.findFirst({ where: { action: "operation.cancel_requested", targetId: id } }),
      ).toMatchObject({ actor: ACTOR });
    });

    async function finished(operationId: string) {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const { body } = await callRoute(
          getOperationRoute,
          deps,
          `/operations/${operationId}`,
          { id: operationId },
          { token },
        );
        if (body.status === "failed") throw new Error(`operation ${operationId} failed: ${JSON.stringify(body.items)}`);
        if (!["queued", "running"].includes(body.status)) return body;
        if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${body.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  },
);
