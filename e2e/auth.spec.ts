import { randomBytes } from "node:crypto";

import { expect, test, type APIResponse, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { Client } from "pg";

import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";

const SESSION_COOKIE = "fleetpin_session";
const INVALID = "Email or password is incorrect.";
const EVIL_ORIGIN = "http://evil.example";

async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: e2eEnv.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function signedInPage(
  browser: Browser,
  role: "operator" | "viewer",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, role);
  return { context, page };
}

async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Submits the login form and waits for the server's answer (the message may read the same as before). */
async function submitLoginAndWait(page: Page, email: string, password: string): Promise<void> {
  await Promise.all([
    page.waitForResponse(
      (response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/login",
    ),
    submitLogin(page, email, password),
  ]);
}

/** The id of the server action behind a server-rendered <form action={…}> (React renders it as a hidden field). */
async function formActionId(page: Page, formSelector: string): Promise<string> {
  const name = await page.locator(`${formSelector} input[name^="$ACTION_ID_"]`).getAttribute("name");
  expect(name, "server-rendered action id").toBeTruthy();
  return name!.slice("$ACTION_ID_".length);
}

/** True while the browser context's session still opens the dashboard. */
async function stillSignedIn(page: Page): Promise<boolean> {
  await page.goto("/pins");
  return !new URL(page.url()).pathname.startsWith("/login");
}

test.describe("[AUTH] operator sign-in", () => {
  test("[AUTH] a signed-out request is sent to the login page and comes back after signing in", async ({
    page,
    request,
  }) => {
    // Arrange
    const { email, password } = e2eEnv.account("viewer");

    // Act
    await page.goto("/workspaces?status=failed");

    // Assert
    await expect(page).toHaveURL(/\/login\?next=%2Fworkspaces%3Fstatus%3Dfailed$/);
    await expect(page.getByRole("heading", { name: /sign in/i })).toBeVisible();
    const api = await request.get("/api/operations/00000000-0000-0000-0000-000000000000", { maxRedirects: 0 });
    expect(api.status()).toBe(401);
    expect(await api.json()).toMatchObject({ ok: false, code: "unauthenticated" });

    // Act
    await submitLogin(page, email, password);

    // Assert
    await expect(page).toHaveURL(/\/workspaces\?status=failed$/);
    await expect(page.getByTestId("user-email")).toHaveText(email);
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
  });

  test("[AUTH] the session cookie is HttpOnly, SameSite=Lax and Secure, and Chromium keeps it on http://127.0.0.1", async ({
    page,
    context,
  }) => {
    // Arrange
    const { email } = e2eEnv.account("operator");

    // Act
    await signIn(page, "operator");

    // Assert
    const cookie = (await context.cookies()).find((entry) => entry.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
    const [audit] = await query<{ actor: string; after: { address: string } }>(
      "SELECT actor, after FROM audit_log WHERE action = 'session.sign_in' AND actor = $1 ORDER BY id DESC LIMIT 1",
      [email],
    );
    // Next.js records the socket address in X-Forwarded-For; the throttle keys on it.
    expect(audit?.after.address).toBe("127.0.0.1");
  });

  test("[AUTH] a wrong password and an unknown email get the same message", async ({ page }) => {
    // Arrange
    const { email } = e2eEnv.account("operator");
    await page.goto("/login");

    // Act
    await submitLogin(page, email, "not the password at all");

    // Assert
    await expect(page.getByTestId("login-error")).toHaveText(INVALID);
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page).toHaveURL(/\/login$/);

    // Act
    await submitLoginAndWait(page, `nobody-${randomBytes(3).toString("hex")}@e2e.test`, "not the password at all");

    // Assert
    await expect(page.getByTestId("login-error")).toHaveText(INVALID);
  });

  test("[AUTH] repeated failures slow an email down, whether or not it exists", async ({ page }) => {
    // Arrange
    const ghost = `ghost-${randomBytes(3).toString("hex")}@e2e.test`;
    await page.goto("/login");

    // Act: 5 attempts go through; from then on each waits 2 s, 4 s, 8 s …, so a quick retry is refused.
    for (let attempt = 0; attempt < 5; attempt++) {
      await submitLoginAndWait(page, ghost, `wrong password ${attempt}`);
      await expect(page.getByTestId("login-error")).toHaveText(INVALID);
    }
    let refused = false;
    for (let attempt = 0; attempt < 4 && !refused; attempt++) {
      await submitLoginAndWait(page, ghost, "wrong password again");
      refused = /^Too many attempts\. Try again in \d+ seconds?\.$/.test(
        (await page.getByTestId("login-error").textContent()) ?? "",
      );
    }

    // Assert
    expect(refused).toBe(true);
  });

  test("[AUTH] next never leads to another site", async ({ page }) => {
    // Arrange
    const { email, password } = e2eEnv.account("viewer");
    await page.goto("/login?next=//evil.example/steal");

    // Act
    await submitLogin(page, email, password);

    // Assert
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/pins$/);
  });

  test("[AUTH] sign-out ends the session on the server, not just in the browser", async ({ page, context }) => {
    // Arrange
    const { email } = e2eEnv.account("operator");
    await signIn(page, "operator");
    await page.goto("/pins");
    const cookie = (await context.cookies()).find((entry) => entry.name === SESSION_COOKIE);
    expect(cookie).toBeTruthy();

    // Act
    await page.getByRole("button", { name: "Sign out" }).click();

    // Assert
    await expect(page).toHaveURL(/\/login\?signed_out=1$/);
    await expect(page.getByText("You have signed out.")).toBeVisible();
    expect((await context.cookies()).some((entry) => entry.name === SESSION_COOKIE)).toBe(false);
    await page.goto("/pins");
    await expect(page).toHaveURL(/\/login\?next=%2Fpins$/);
    // The old token, replayed, opens nothing: the session row is gone.
    await context.addCookies([cookie!]);
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/login\?next=%2Faudit$/);
    const rows = await query<{ count: string }>(
      "SELECT count(*) FROM audit_log WHERE action = 'session.sign_out' AND actor = $1",
      [email],
    );
    expect(Number(rows[0]?.count)).toBeGreaterThanOrEqual(1);
  });
});

test.describe("[AUTH] roles and forged requests", () => {
  test("[AUTH] a viewer sees no Promote button, and calling the promote action directly is refused", async ({
    browser,
    baseURL,
  }) => {
    // Arrange: an operator's real promote post (for a digest that is not in the registry, so nothing changes).
    const operator = await signedInPage(browser, "operator");
    await operator.page.goto("/pins");
    await operator.page.getByTestId("promote-hermes").click();
    const form = operator.page.getByTestId("promote-form-hermes");
    await form.getByLabel("Digest or tag").fill(`sha256:${"0".repeat(64)}`);
    await form.getByLabel("Reason").fill("e2e: capture the promote action");
    const [post] = await Promise.all([
      operator.page.waitForRequest((request) => request.method() === "POST" && !!request.headers()["next-action"]),
      form.getByRole("button", { name: "Promote" }).click(),
    ]);
    // The operator's own answer, read from the form: the browser may drop the response body
    // once the page re-renders, so reading it from the network was flaky.
    const operatorAnswer = form.getByRole("alert");
    await expect(operatorAnswer).toBeVisible();
    await expect(operatorAnswer).not.toContainText("operator role");
    const viewer = await signedInPage(browser, "viewer");

    // Act
    await viewer.page.goto("/pins");

    // Assert
    await expect(viewer.page.getByTestId("pins-table")).toBeVisible();
    await expect(viewer.page.getByTestId("user-role")).toHaveText("viewer");
    await expect(viewer.page.getByRole("button", { name: /promote/i })).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: /roll back|unpin/i })).toHaveCount(0);

    // Act: the viewer's browser replays the operator's post (same action id, same body, the viewer's cookie).
    const replay = await viewer.page.request.post("/pins", {
      headers: {
        "next-action": post.headers()["next-action"]!,
        "content-type": post.headers()["content-type"]!,
        accept: "text/x-component",
        origin: baseURL!,
      },
      data: post.postDataBuffer()!,
    });

    // Assert
    expect(replay.status()).toBe(200);
    const answer = await replay.text();
    expect(answer).toContain("forbidden");
    expect(answer).toContain("This needs the operator role; you are signed in as a viewer.");
    const promotions = await query("SELECT 1 FROM audit_log WHERE action = 'pin.promote' AND actor = $1", [
      e2eEnv.account("viewer").email,
    ]);
    expect(promotions).toEqual([]);
    await operator.context.close();
    await viewer.context.close();
  });

  test("[AUTH] a forged cross-origin action post is rejected, even carrying a valid session cookie", async ({
    browser,
    baseURL,
  }) => {
    // Arrange: sign-out is an action that changes state (it deletes the session), so a forged one would show.
    const { context, page } = await signedInPage(browser, "operator");
    await page.goto("/pins");
    const signOutId = await formActionId(page, '[data-testid="user-menu"] form');
    const post = (origin: string, headers: Record<string, string> = {}): Promise<APIResponse> =>
      page.request.post("/pins", {
        headers: { origin, "next-action": signOutId, "content-type": "text/plain;charset=UTF-8", ...headers },
        data: "[]",
        maxRedirects: 0,
      });

    // Act: as fetch() from another site would send it, and as a plain HTML form from another site would.
    const forgedFetch = await post(EVIL_ORIGIN);
    const forgedForm = await page.request.post("/pins", {
      headers: { origin: EVIL_ORIGIN },
      multipart: { [`$ACTION_ID_${signOutId}`]: "" },
      maxRedirects: 0,
    });

    // Assert
    expect(forgedFetch.status()).toBe(500);
    expect(forgedForm.status()).toBe(500);
    expect(await stillSignedIn(page)).toBe(true);

    // Act: the same post from our own origin is accepted (the control).
    const genuine = await post(baseURL!);

    // Assert
    expect(genuine.status()).toBeLessThan(400);
    expect(await stillSignedIn(page)).toBe(false);
    await context.close();
  });
});
