import { execFile } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { request as httpRequest } from "node:http";
import { promisify } from "node:util";

import { expect, test, type Page, type Request } from "@playwright/test";
import { Client } from "pg";

import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";

// Issue #13 against the built server (next start): sign-in limits under 40
// parallel posts, the address they key on, redirects after sign-in, security
// headers and CSP, hostile URLs.

const INVALID = "Email or password is incorrect.";

async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: e2eEnv.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh account, so attempts on it touch no other test's limits. */
async function createAccount(): Promise<{ email: string; password: string }> {
  const account = {
    email: `limits-${randomBytes(4).toString("hex")}@e2e.test`,
    password: `right-${randomBytes(8).toString("hex")}`,
  };
  await promisify(execFile)(
    "npm",
    [
      "run",
      "--silent",
      "user:create",
      "--",
      "--email",
      account.email,
      "--role",
      "viewer",
      "--password",
      account.password,
    ],
    { env: process.env },
  );
  return account;
}

/** The browser's own sign-in post (a server action), captured so it can be replayed. */
async function captureSignInPost(page: Page, email: string, password: string): Promise<Request> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const [post] = await Promise.all([
    page.waitForRequest((request) => request.method() === "POST" && !!request.headers()["next-action"]),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await expect(page.getByTestId("login-error")).toBeVisible();
  return post;
}

type Answer = { status: number; body: string; signedIn: boolean };

/**
 * Replays a captured action post over a connection whose source is
 * `localAddress` (any 127.x.y.z reaches the loopback server), so each test
 * has its own socket address, and with whatever extra headers a client likes.
 */
function replay(
  post: Request,
  body: Buffer,
  localAddress: string,
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(post.url());
  const headers = post.headers();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: {
          "next-action": headers["next-action"]!,
          "content-type": headers["content-type"]!,
          "next-router-state-tree": headers["next-router-state-tree"] ?? "",
          accept: "text/x-component",
          origin: url.origin,
          "content-length": String(body.length),
          ...extraHeaders,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            signedIn: String(res.headers["set-cookie"] ?? "").includes("fleetpin_session="),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const loopbackAddress = () => `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;

test("[HARDENING] 40 parallel sign-in posts for one email (39 wrong, the right one last) check 5 passwords and sign nobody in", async ({
  page,
}) => {
  // Arrange
  const account = await createAccount();
  const wrong = `wrong-${randomBytes(8).toString("hex")}`;
  const post = await captureSignInPost(page, account.email, wrong);
  const wrongBody = post.postDataBuffer()!;
  const rightBody = Buffer.from(wrongBody.toString("latin1").replace(wrong, account.password), "latin1");
  expect(rightBody.equals(wrongBody)).toBe(false);
  const address = loopbackAddress();

  // Act
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => replay(post, i === 39 ? rightBody : wrongBody, address)),
  );

  // Assert: the browser's own attempt was the first of five; four more were checked, 35 refused unchecked.
  expect(answers.every((answer) => answer.status < 400)).toBe(true);
  const checked = answers.filter((answer) => answer.body.includes(INVALID) || answer.signedIn);
  const refused = answers.filter((answer) => answer.body.includes("Too many attempts"));
  expect(checked).toHaveLength(4);
  expect(refused).toHaveLength(36);
  expect(answers[39]!.signedIn).toBe(false);
  expect(
    await query("SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", [account.email]),
  ).toEqual([]);
});

test("[HARDENING] the address limit and the audit log use the socket address, not X-Forwarded-For", async ({
  page,
}) => {
  // Arrange
  const account = await createAccount();
  const post = await captureSignInPost(page, account.email, "wrong password here");
  const body = Buffer.from(
    post.postDataBuffer()!.toString("latin1").replace("wrong password here", account.password),
    "latin1",
  );
  const address = loopbackAddress();

  // Act: a successful sign-in whose client claims other addresses.
  const answer = await replay(post, body, address, {
    "x-forwarded-for": "203.0.113.7",
    "x-real-ip": "203.0.113.8",
    "x-fleetpin-socket-address": "203.0.113.9",
  });

  // Assert
  expect(answer.signedIn).toBe(true);
  const audit = await query<{ after: { address: string } }>(
    "SELECT after FROM audit_log WHERE action = 'session.sign_in' AND actor = $1 ORDER BY id DESC LIMIT 1",
    [account.email],
  );
  expect(audit[0]?.after.address).toBe(address);
});

test("[HARDENING] a signed-in user's next never leads to another host, even through dot segments", async ({ page }) => {
  await signIn(page, "viewer");
  for (const next of ["/.//evil.example/x", "/pins/..//evil.example", "/%2e//evil.example"]) {
    const response = await page.request.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    expect(response.status(), next).toBe(307);
    expect(response.headers().location, next).toBe("/pins");
  }
});

test("[HARDENING] pages carry the security headers and work under their CSP, with no violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const login = await page.goto("/login");
  const headers = login!.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);

  // Signing in runs the form's client code (a server action through React), so scripts ran.
  await signIn(page, "operator");
  for (const path of ["/pins", "/workspaces", "/stale", "/audit", "/pins/hermes"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
  }
  // A client-side interaction after hydration: the promote dialog opens.
  await page.goto("/pins");
  await page.getByTestId("promote-hermes").click();
  await expect(page.getByTestId("promote-form-hermes")).toBeVisible();
  expect(violations).toEqual([]);
});

test("[HARDENING] hostile URLs get a page or a 404, never a 500", async ({ page }) => {
  await signIn(page, "viewer");
  const b64 = (text: string) => Buffer.from(text).toString("base64url");
  const cases: Array<[string, number]> = [
    ["/pins/%E0%A4%A", 404],
    ["/pins/%00", 404],
    ["/workspaces?q=%00abc", 200],
    ["/workspaces?q=a%1Bb&template=py%07thon", 200],
    [`/workspaces?cursor=${b64("0000-00-00T00:00:00.000000Z|00000000-0000-4000-8000-000000000000")}`, 200],
    [`/stale?cursor=${b64("2026-13-45T25:61:61.000000Z|00000000-0000-4000-8000-000000000000")}`, 200],
    [`/audit?cursor=${b64("2026-01-01T00:00:00.000000Z|9999999999999999999")}`, 200],
    ["/audit?template=%00&action=pin.", 200],
  ];
  for (const [path, status] of cases) {
    const response = await page.goto(path);
    expect.soft(response?.status(), path).toBe(status);
    await expect.soft(page.getByText("This page failed to load"), path).toHaveCount(0);
  }
});
