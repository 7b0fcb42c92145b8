// What the /api/v1 journeys share: tokens made the way CI makes them, SQL on the e2e database for
// what no API does (revoking at a given time, expiring), and the checks every call's answer gets.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";

import { e2eEnv } from "./env";

const run = promisify(execFile);

/**
 * `npm run -s token:create`, as the README tells CI to: stdout is the token and nothing else.
 * On the shared e2e database unless `databaseUrl` names a server's own.
 */
export async function tokenCreate(
  name: string,
  role: "viewer" | "operator",
  options: { expiresIn?: string; databaseUrl?: string } = {},
): Promise<string> {
  const args = ["run", "-s", "token:create", "--", "--name", name, "--role", role];
  if (options.expiresIn) args.push("--expires-in", options.expiresIn);
  const env = options.databaseUrl ? { ...process.env, DATABASE_URL: options.databaseUrl } : process.env;
  const { stdout } = await run("npm", args, { env });
  expect(stdout).toMatch(/^fp_[A-Za-z0-9_-]{43}\n$/);
  return stdout.trim();
}

/** One statement on the e2e database through psql; the rows as psql -At prints them. */
export async function sql(statement: string): Promise<string> {
  const { stdout } = await run("psql", [e2eEnv.databaseUrl, "-Atqc", statement]);
  return stdout.trim();
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An RFC 9457 problem document with this status and code. */
export async function expectProblem(response: APIResponse, status: number, code: string): Promise<void> {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toBe("application/problem+json");
  expect(await response.json()).toMatchObject({ status, code });
}

/** Polls GET /operations/{id} until the operation has ended; its last answer. */
export async function operationDone(
  request: APIRequestContext,
  token: string,
  id: string,
): Promise<Record<string, unknown>> {
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
