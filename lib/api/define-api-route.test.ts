import { describe, expect, it } from "vitest";
import { z } from "zod";

import { ConflictError, ValidationError } from "@/lib/domain/errors";
import { callRoute, makeToken, testApiDeps, TOKEN_CREATOR } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { hashApiToken } from "./api-token";
import { defineApiRoute } from "./define-api-route";

// Two routes of the wrapper's own, beside the real ones (app/api/v1), so every branch is reachable.
const whoAmI = defineApiRoute({
  method: "GET",
  path: "/whoami",
  role: "viewer",
  summary: "who is calling",
  tag: "test",
  query: z.object({ n: z.coerce.number().int().min(1).optional() }),
  success: { status: 200, description: "the caller", schema: z.object({}) },
  run: async ({ caller, query }) => ({ actor: caller.actor, role: caller.role, n: query.n ?? null }),
});

const change = defineApiRoute({
  method: "POST",
  path: "/things/{id}",
  role: "operator",
  summary: "a change",
  tag: "test",
  params: z.object({ id: z.uuid() }),
  body: z.object({ what: z.enum(["ok", "conflict", "invalid", "bug"]), expected_digest: z.string().optional() }),
  fieldNames: { digestOrTag: "tag" },
  success: { status: 202, description: "accepted", schema: z.object({}) },
  location: (body: { id: string }) => `/api/v1/things/${body.id}`,
  run: async ({ params, body }) => {
    if (body.what === "conflict") throw new ConflictError("The pin moved.");
    if (body.what === "invalid")
      throw new ValidationError("Tag x does not exist.", {
        digestOrTag: ["Tag x does not exist."],
        expectedDigest: ["bad"],
      });
    if (body.what === "bug") throw new TypeError("secret internals");
    return { id: params.id };
  },
});

const ID = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";

describe.each(availableBackends())("defineApiRoute on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens", "audit_log"] });

  it("answers a viewer token, names the token and its creator as the actor, and records the use", async () => {
    const viewer = await makeToken(db(), "viewer", { name: "dash" });
    const response = await callRoute(
      whoAmI,
      testApiDeps(db),
      "/whoami",
      {},
      { token: viewer.token, query: { n: "3" } },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ actor: `token:dash (created by ${TOKEN_CREATOR})`, role: "viewer", n: 3 });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("ratelimit-remaining")).toBe("599");
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: viewer.id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    expect(row.tokenHash).toBe(hashApiToken(viewer.token));
  });

  it("refuses a call without a token, with a malformed, unknown, revoked or expired one: 401 problem", async () => {
    const deps = testApiDeps(db);
    const revoked = await makeToken(db(), "operator");
    await db().apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await makeToken(db(), "operator");
    await db()
      .$executeRaw`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${expired.id}::uuid`;
    const cases: [string | null, Record<string, string>, RegExp][] = [
      [null, {}, /Authorization: Bearer/],
      [null, { authorization: "Basic b2xnYTpwdw==" }, /Authorization: Bearer/],
      [null, { cookie: "fleetpin_session=abc" }, /Authorization: Bearer/],
      ["fp_short", {}, /not a Fleetpin API token/],
      [`fp_${"x".repeat(43)}`, {}, /not known/],
      [revoked.token, {}, /revoked/],
      [expired.token, {}, /expired/],
    ];
    for (const [token, headers, detail] of cases) {
      const response = await callRoute(whoAmI, deps, "/whoami", {}, { token, headers });
      expect(response.status, String(token)).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="fleetpin"');
      expect(response.body).toMatchObject({
        status: 401,
        code: "unauthenticated",
        type: "urn:fleetpin:problem:unauthenticated",
        detail: expect.stringMatching(detail),
      });
    }
  });

  it("refuses a viewer token on an operator route before looking at its input: 403", async () => {
    const viewer = await makeToken(db(), "viewer");
    const response = await callRoute(
      change,
      testApiDeps(db),
      "/things/not-a-uuid",
      { id: "not-a-uuid" },
      { token: viewer.token, rawBody: "{" },
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: "forbidden", detail: expect.stringContaining("operator token") });
  });

  it("validates path, body and JSON: 404, 422 with field errors, 400", async () => {
    const operator = await makeToken(db(), "operator");
    const deps = testApiDeps(db);
    const badPath = await callRoute(
      change,
      deps,
      "/things/x",
      { id: "x" },
      { token: operator.token, body: { what: "ok" } },
    );
    expect(badPath.status).toBe(404);
    expect(badPath.body.errors).toEqual({ id: [expect.any(String)] });
    const badBody = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, body: { what: "maybe", expected_digest: 7 } },
    );
    expect(badBody.status).toBe(422);
    expect(Object.keys(badBody.body.errors)).toEqual(["what", "expected_digest"]);
    const notJson = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, rawBody: "{what:" },
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe("invalid_json");
    const badQuery = await callRoute(whoAmI, deps, "/whoami", {}, { token: operator.token, query: { n: "0" } });
    expect(badQuery.status).toBe(422);
    expect(badQuery.body.errors).toEqual({ n: [expect.any(String)] });
  });

  it("maps lib's typed errors to their status, renames form fields, and hides unexpected ones", async () => {
    const operator = await makeToken(db(), "operator");
    const deps = testApiDeps(db);
    const ok = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, body: { what: "ok" } },
    );
    expect(ok.status).toBe(202);
    expect(ok.headers.get("location")).toBe(`/api/v1/things/${ID}`);
    const conflict = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, body: { what: "conflict" } },
    );
    expect(conflict).toMatchObject({ status: 409, body: { code: "conflict", detail: "The pin moved." } });
    const invalid = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, body: { what: "invalid" } },
    );
    expect(invalid).toMatchObject({
      status: 422,
      body: { errors: { tag: ["Tag x does not exist."], expected_digest: ["bad"] } },
    });
    const bug = await callRoute(
      change,
      deps,
      `/things/${ID}`,
      { id: ID },
      { token: operator.token, body: { what: "bug" } },
    );
    expect(bug.status).toBe(500);
    expect(JSON.stringify(bug.body)).not.toContain("secret");
    expect(deps.errors).toHaveLength(1);
  });

  it("limits each token to FLEETPIN_API_RATE_LIMIT calls a minute: 429 with Retry-After, other tokens unaffected", async () => {
    const busy = await makeToken(db(), "viewer");
    const other = await makeToken(db(), "viewer");
    const deps = testApiDeps(db, { env: { FLEETPIN_API_RATE_LIMIT: "3" } });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof callRoute>> | undefined;
    for (let call = 0; call < 5; call++) {
      last = await callRoute(whoAmI, deps, "/whoami", {}, { token: busy.token });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body).toMatchObject({ code: "rate_limited", status: 429 });
    const retryAfter = Number(last!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await callRoute(whoAmI, deps, "/whoami", {}, { token: other.token })).status).toBe(200);
    // A new window starts once the old one has ended.
    await db()
      .$executeRaw`UPDATE api_tokens SET rate_window_start = now() - interval '61 seconds' WHERE id = ${busy.id}::uuid`;
    expect((await callRoute(whoAmI, deps, "/whoami", {}, { token: busy.token })).status).toBe(200);
  });
});
