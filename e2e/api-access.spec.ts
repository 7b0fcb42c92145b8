import { randomBytes, randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import { bearer, expectProblem, sql, tokenCreate } from "@/e2e/support/api";
import { signIn } from "@/e2e/support/auth";

// Who may call what on the built server: every route the OpenAPI document lists, /metrics, and
// the Settings → API tokens page. The answers come before any input is read, so the paths'
// placeholders only need to be well-formed.
const suffix = randomBytes(3).toString("hex");

type Operation = { security?: Record<string, unknown>[] };

/** A path of the document with its placeholders filled: a known template, a digest, an id. */
function concrete(path: string): string {
  const values: Record<string, string> = { template: "autogen", digest: `sha256:${"a".repeat(64)}`, name: "local" };
  return `/api/v1${path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? randomUUID())}`;
}

test("[API] every route of the OpenAPI document: 401 without a token, 403 for a viewer token on every write, nothing changed", async ({
  request,
}) => {
  test.setTimeout(120_000);
  const viewer = await tokenCreate(`viewer-${suffix}`, "viewer");
  const document = await (await request.get("/api/v1/openapi.json")).json();
  const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(
    ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  const writes = operations.filter(({ method }) => method !== "get");
  // The writes at least: promote, the alias, rollback, unpin, reprovision one and bulk, sync, cancel.
  expect(writes.length).toBeGreaterThanOrEqual(8);

  for (const { path, method, operation } of operations) {
    // The document itself needs no token; the registry's notifications take their own (registryEvents).
    if (!operation.security?.some((scheme) => "bearer" in scheme)) continue;
    const url = concrete(path);
    const data = method === "get" ? undefined : { reason: "should not happen" };
    const anonymous = await request.fetch(url, { method: method.toUpperCase(), data });
    expect(anonymous.status(), `${method} ${path} without a token`).toBe(401);
    expect(anonymous.headers()["www-authenticate"]).toMatch(/^Bearer/);
    if (method === "get") continue;
    await expectProblem(
      await request.fetch(url, { method: method.toUpperCase(), headers: bearer(viewer), data }),
      403,
      "forbidden",
    );
  }
  expect(await sql(`SELECT count(*) FROM audit_log WHERE actor LIKE 'token:viewer-${suffix}%'`)).toBe("0");
  expect(await sql(`SELECT count(*) FROM operations WHERE requested_by LIKE 'token:viewer-${suffix}%'`)).toBe("0");
});

test("[API] bad requests are RFC 9457 problem documents: 422 naming each field, 400 for a body that is not JSON, 404", async ({
  request,
}) => {
  const operator = await tokenCreate(`problems-${suffix}`, "operator");
  const invalid = await request.post("/api/v1/pins/autogen/promote", {
    headers: bearer(operator),
    data: { digest: "sha256:nope", reason: "", git_sha: "not-a-sha" },
  });
  await expectProblem(invalid, 422, "invalid_input");
  expect(Object.keys((await invalid.json()).errors).sort()).toEqual(["digest", "git_sha", "reason"]);
  await expectProblem(
    await request.post("/api/v1/reprovision", {
      headers: { ...bearer(operator), "content-type": "application/json" },
      data: Buffer.from("{not json"),
    }),
    400,
    "invalid_json",
  );
  await expectProblem(
    await request.get(`/api/v1/operations/${randomUUID()}`, { headers: bearer(operator) }),
    404,
    "not_found",
  );
});

test("[API] /metrics: open to this machine; through an undeclared proxy only with a viewer (or operator) token", async ({
  request,
}) => {
  const viewer = await tokenCreate(`scrape-${suffix}`, "viewer");
  const operator = await tokenCreate(`scrape-op-${suffix}`, "operator");
  const revoked = await tokenCreate(`scrape-old-${suffix}`, "viewer");
  await sql(`UPDATE api_tokens SET revoked_at = now(), revoked_by = 'e2e' WHERE name = 'scrape-old-${suffix}'`);

  const local = await request.get("/metrics");
  expect(local.status()).toBe(200);
  expect(local.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await local.text();
  for (const family of [
    "fleetpin_workspaces",
    "fleetpin_pin_age_seconds",
    "fleetpin_operations",
    "fleetpin_reprovision_duration_seconds",
    "fleetpin_registry_requests_total",
    "fleetpin_docker_errors_total",
  ])
    expect(text, family).toMatch(new RegExp(`^# TYPE ${family} `, "m"));

  // Without FLEETPIN_TRUST_PROXY a forwarded request says nothing about the client: treated as remote.
  const afar = { "X-Forwarded-For": "203.0.113.9" };
  const refused = await request.get("/metrics", { headers: afar });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  expect((await request.get("/metrics", { headers: { ...afar, ...bearer(revoked) } })).status()).toBe(401);
  for (const token of [viewer, operator]) {
    const scraped = await request.get("/metrics", { headers: { ...afar, ...bearer(token) } });
    expect(scraped.status()).toBe(200);
    expect(await scraped.text()).toMatch(/^# TYPE fleetpin_workspaces /m);
  }
  // The scrape counts as the token's use, like any API call.
  expect(await sql(`SELECT last_used_at IS NOT NULL FROM api_tokens WHERE name = 'scrape-${suffix}'`)).toBe("t");
});

test("[API] Settings → API tokens: the session cookie opens no /api/v1 call; an operator creates a token (shown once) that works, then revokes it; a viewer only sees the list", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(180_000);
  const name = `ui-${suffix}`;
  await signIn(page, "operator");
  // The signed-in operator's real session cookie goes with page.request: /api/v1 ignores it.
  expect((await page.context().cookies()).length).toBeGreaterThan(0);
  await expectProblem(await page.request.get("/api/v1/pins"), 401, "unauthenticated");
  await expectProblem(await page.request.post("/api/v1/sync"), 401, "unauthenticated");
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
