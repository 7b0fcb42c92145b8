import { randomBytes } from "node:crypto";

import { expect, test } from "@playwright/test";

import { bearer, expectProblem } from "@/e2e/support/api";
import { signIn } from "@/e2e/support/auth";

// Who may call what on the built server: the Settings → API tokens page, and the session cookie.
const suffix = randomBytes(3).toString("hex");

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
