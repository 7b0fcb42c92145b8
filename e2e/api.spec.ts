import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";

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
const run = promisify(execFile);

async function tokenCreate(name: string, role: "viewer" | "operator"): Promise<string> {
  const { stdout } = await run("npm", ["run", "-s", "token:create", "--", "--name", name, "--role", role], {
    env: process.env,
  });
  return stdout.trim();
}

async function sql(statement: string): Promise<string> {
  const { stdout } = await run("psql", [e2eEnv.databaseUrl, "-Atqc", statement]);
  return stdout.trim();
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function operationDone(request: APIRequestContext, token: string, id: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        body = await (await request.get(`/api/v1/operations/${id}`, { headers: bearer(token) })).json();
        return body.status;
      },
      { timeout: 180_000, intervals: [500, 1_000] },
    )
    .toMatch(/^(succeeded|failed|partially_failed|cancelled)$/);
  return body;
}

async function expectProblem(response: APIResponse, status: number, code: string): Promise<void> {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toBe("application/problem+json");
  expect(await response.json()).toMatchObject({ status, code });
}

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

test("[API] a CI token promotes by tag and the platform alias, reprovisions one and in bulk (idempotent retry), with 401/403/409 on the built server", async ({
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
  const operator = await tokenCreate(`ci-${suffix}`, "operator");
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
    expect(
      await sql(`SELECT count(*) FROM operations WHERE kind = 'bulk_reprovision' AND template_name = '${TEMPLATE}'`),
    ).toBe("1");
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
});

test("[API] Settings → API tokens: an operator creates a token (shown once) that works, then revokes it; a viewer only sees the list", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(180_000);
  const name = `ui-${suffix}`;
  await signIn(page, "operator");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/settings\/api-tokens$/);
  const form = page.getByTestId("create-token-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token-value").textContent())?.trim() ?? "";
  expect(token).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId(`token-row-${name}`);
  await expect(row).toContainText("viewer");
  await expect(row).toContainText(token.slice(0, 9));
  await expect(row).not.toContainText(token);

  expect((await request.get("/api/v1/fleet", { headers: bearer(token) })).status()).toBe(200);
  await expect(row).toContainText("active");

  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  await expectProblem(await request.get("/api/v1/fleet", { headers: bearer(token) }), 401, "unauthenticated");

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, "viewer");
  await viewerPage.goto("/settings/api-tokens");
  await expect(viewerPage.getByTestId(`token-row-${name}`)).toBeVisible();
  await expect(viewerPage.getByTestId("create-token-form")).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await viewerContext.close();
});
