import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { bearer, expectProblem, operationDone, sql, tokenCreate } from "@/e2e/support/api";
import { signIn } from "@/e2e/support/auth";
import { runsDigest, testDocker } from "@/e2e/support/docker";
import { e2eEnv } from "@/e2e/support/env";
import { startPlatformWorkspace } from "@/e2e/support/fleet";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";

// The HTTP API on the built server (next start), as CI calls it: a bearer token from
// `npm run token:create`, the shared e2e database, the test registry and dockerd.
const TEMPLATE = "deepagents";
const SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const suffix = randomBytes(3).toString("hex");
const docker = testDocker();
const workspaceIds: string[] = [];

test.afterAll(async () => {
  for (const id of workspaceIds) {
    const filters = JSON.stringify({ label: [`molecule.workspace.id=${id}`] });
    for (const container of await docker.listContainers({ all: true, filters })) {
      await docker
        .getContainer(container.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    const { Volumes } = await docker.listVolumes({ filters });
    for (const volume of Volumes ?? [])
      await docker
        .getVolume(volume.Name)
        .remove()
        .catch(() => undefined);
  }
});

test("[API] a CI token promotes by tag, by digest and the platform alias, reprovisions one and in bulk (idempotent retry), rolls back and unpins, with 401/403/409/422 on the built server", async ({
  page,
  request,
}) => {
  test.setTimeout(480_000);
  const push = (tag: string): Promise<PushedImage> =>
    buildAndPushTestImage({
      repository: e2eEnv.templateRepository(TEMPLATE),
      tag: `${tag}-${suffix}`,
      marker: `${TEMPLATE}-${tag}-${suffix}`,
      registryHost: e2eEnv.registryHost,
    });
  const a = await push("a");
  const b = await push("b");
  const operator = await tokenCreate(`ci-${suffix}`, "operator", { expiresIn: "90d" });
  const viewer = await tokenCreate(`dash-${suffix}`, "viewer");
  const revoked = await tokenCreate(`old-${suffix}`, "operator");
  await sql(`UPDATE api_tokens SET revoked_at = now(), revoked_by = 'e2e' WHERE name = 'old-${suffix}'`);
  const expired = await tokenCreate(`exp-${suffix}`, "operator");
  await sql(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE name = 'exp-${suffix}'`);

  await test.step("no token, a session cookie, a revoked or an expired token: 401; the OpenAPI document needs none", async () => {
    await expectProblem(await request.get("/api/v1/pins"), 401, "unauthenticated");
    await expectProblem(
      await request.get("/api/v1/pins", { headers: { cookie: "fleetpin_session=anything" } }),
      401,
      "unauthenticated",
    );
    await expectProblem(await request.get("/api/v1/pins", { headers: bearer(revoked) }), 401, "unauthenticated");
    await expectProblem(await request.get("/api/v1/pins", { headers: bearer(expired) }), 401, "unauthenticated");
    const openapi = await request.get("/api/v1/openapi.json");
    expect(openapi.status()).toBe(200);
    expect((await openapi.json()).openapi).toBe("3.1.0");
  });

  await test.step("promote A by tag, with its git sha", async () => {
    const response = await request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
      headers: bearer(operator),
      data: { tag: a.tag, expected_digest: null, reason: "CI build A", git_sha: SHA },
    });
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ action: "promote", to_digest: a.digest, git_sha: SHA });
    const pins = await (await request.get("/api/v1/pins", { headers: bearer(viewer) })).json();
    expect(pins.pins.find((pin: { template_name: string }) => pin.template_name === TEMPLATE)).toMatchObject({
      image_digest: a.digest,
      git_sha: SHA,
      updated_by: expect.stringMatching(/^token:ci-/),
    });
  });

  await test.step("the pins page and the template's history show the git sha CI sent", async () => {
    await signIn(page, "viewer");
    await page.goto("/pins");
    const sha = page.getByTestId(`pin-row-${TEMPLATE}`).getByTestId("git-sha");
    await expect(sha).toHaveText(`git ${SHA.slice(0, 12)}`);
    await expect(sha).toHaveAttribute("title", SHA);
    await page.goto(`/pins/${TEMPLATE}`);
    await expect(page.getByTestId("pin-history").getByTestId("git-sha").first()).toHaveAttribute("title", SHA);
  });

  await test.step("three platform workspaces on A, adopted by POST /sync", async () => {
    for (let i = 0; i < 3; i++)
      workspaceIds.push((await startPlatformWorkspace(docker, { template: TEMPLATE, image: a.digestRef })).id);
    const sync = await request.post("/api/v1/sync", { headers: bearer(operator) });
    expect(sync.status()).toBe(202);
    expect((await operationDone(request, operator, (await sync.json()).operation_id)).status).toBe("succeeded");
    const list = await (
      await request.get(`/api/v1/workspaces?template=${TEMPLATE}`, { headers: bearer(viewer) })
    ).json();
    expect(list.workspaces.map((w: { id: string }) => w.id).sort()).toEqual([...workspaceIds].sort());
    expect(list.workspaces.every((w: { staleness: string }) => w.staleness === "on_pin")).toBe(true);
  });

  await test.step("the platform-shaped alias promotes B; a stale expected_digest is 409; a viewer token is 403", async () => {
    const alias = await request.post("/api/v1/runtime-image/promote", {
      headers: bearer(operator),
      data: { template_name: TEMPLATE, image_digest: b.digest, git_sha: SHA, notes: "platform script" },
    });
    expect(alias.status()).toBe(200);
    expect(await alias.json()).toMatchObject({ from_digest: a.digest, to_digest: b.digest });
    await expectProblem(
      await request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
        headers: bearer(operator),
        data: { digest: a.digest, expected_digest: a.digest, reason: "stale" },
      }),
      409,
      "conflict",
    );
    await expectProblem(
      await request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
        headers: bearer(viewer),
        data: { digest: a.digest, reason: "viewer" },
      }),
      403,
      "forbidden",
    );
    await expectProblem(
      await request.post("/api/v1/reprovision", { headers: bearer(viewer), data: { reason: "viewer" } }),
      403,
      "forbidden",
    );
  });

  await test.step("reprovision one workspace onto B", async () => {
    const response = await request.post(`/api/v1/workspaces/${workspaceIds[0]}/reprovision`, {
      headers: bearer(operator),
      data: { reason: "first one" },
    });
    expect(response.status()).toBe(202);
    const { operation_id } = await response.json();
    expect(response.headers()["location"]).toBe(`/api/v1/operations/${operation_id}`);
    expect(await operationDone(request, operator, operation_id)).toMatchObject({ status: "succeeded", succeeded: 1 });
    expect(await runsDigest(docker, workspaceIds[0]!, b.digest)).toBe(true);
  });

  await test.step("bulk reprovision, retried with the same Idempotency-Key: one operation, every container on B", async () => {
    const send = () =>
      request.post("/api/v1/reprovision", {
        headers: { ...bearer(operator), "Idempotency-Key": `bulk-${suffix}` },
        data: { template: TEMPLATE, concurrency: 2, reason: "roll out B" },
      });
    const first = await send();
    const retry = await send();
    expect(first.status()).toBe(202);
    expect(retry.status()).toBe(202);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    const { operation_id } = await first.json();
    expect((await retry.json()).operation_id).toBe(operation_id);
    const bulkOperations = () =>
      sql(`SELECT count(*) FROM operations WHERE kind = 'bulk_reprovision' AND template_name = '${TEMPLATE}'`);
    expect(await bulkOperations()).toBe("1");
    // The same key with another body is a client mistake, refused without doing anything.
    await expectProblem(
      await request.post("/api/v1/reprovision", {
        headers: { ...bearer(operator), "Idempotency-Key": `bulk-${suffix}` },
        data: { template: TEMPLATE, concurrency: 2, reason: "another body" },
      }),
      422,
      "idempotency_key_reused",
    );
    expect(await bulkOperations()).toBe("1");
    expect(await operationDone(request, operator, operation_id)).toMatchObject({
      status: "succeeded",
      succeeded: 2,
      failed: 0,
    });
    for (const id of workspaceIds) expect(await runsDigest(docker, id, b.digest)).toBe(true);
    const audit = await (
      await request.get(`/api/v1/audit?template=${TEMPLATE}&action=operation.`, { headers: bearer(viewer) })
    ).json();
    expect(
      audit.entries.some((entry: { actor: string }) => entry.actor.startsWith(`token:ci-${suffix} (created by cli:`)),
    ).toBe(true);
  });

  await test.step("promote A by digest over B, roll back to B, unpin: each answers what changed", async () => {
    const pin = async () =>
      (await (await request.get("/api/v1/pins", { headers: bearer(viewer) })).json()).pins.find(
        (entry: { template_name: string }) => entry.template_name === TEMPLATE,
      );
    const repository = `${e2eEnv.imageRegistryPrefix}/workspace-template-${TEMPLATE}`;
    const byDigest = await request.post(`/api/v1/pins/${TEMPLATE}/promote`, {
      headers: bearer(operator),
      data: { digest: a.digest, expected_digest: b.digest, reason: "back to A by digest" },
    });
    expect(byDigest.status()).toBe(200);
    expect(await byDigest.json()).toMatchObject({ action: "promote", from_digest: b.digest, to_digest: a.digest });
    expect(await pin()).toMatchObject({
      image_digest: a.digest,
      image_ref: `${repository}@${a.digest}`,
      notes: "back to A by digest",
      rollback_target: b.digest,
    });

    const rollback = await request.post(`/api/v1/pins/${TEMPLATE}/rollback`, {
      headers: bearer(operator),
      data: { expected_digest: a.digest, reason: "A was worse" },
    });
    expect(rollback.status()).toBe(200);
    expect(await rollback.json()).toMatchObject({ action: "rollback", from_digest: a.digest, to_digest: b.digest });

    const unpin = await request.delete(`/api/v1/pins/${TEMPLATE}`, {
      headers: bearer(operator),
      data: { expected_digest: b.digest, reason: "follow latest again" },
    });
    expect(unpin.status()).toBe(200);
    expect(await unpin.json()).toMatchObject({ action: "unpin", from_digest: b.digest, to_digest: null });
    expect(await pin()).toMatchObject({ image_digest: null, image_ref: `${repository}:latest` });
  });
});
