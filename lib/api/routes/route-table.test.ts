import { describe, expect, it } from "vitest";

import { callRoute, makeToken, testApiDeps } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { API_ROUTES } from "./index";

const ID = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";

/** A route's path with placeholders filled in, and the params Next would pass. */
function concrete(path: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const filled = path.replace(
    /\{(\w+)\}/g,
    (_match, name: string) => (params[name] = name === "template" ? "hermes" : ID),
  );
  return { path: filled, params };
}

describe.each(availableBackends())("every /api/v1 route on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens", "audit_log", "operations", "runtime_image_pins"] });

  it("refuses a call without a token (401) and a viewer token on every write (403), changing nothing", async () => {
    const viewer = await makeToken(db(), "viewer");
    const started: string[] = [];
    const deps = testApiDeps(db, { startOperation: (id) => void started.push(id) });
    const writes = API_ROUTES.filter((route) => route.method !== "GET");
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const route of API_ROUTES) {
      const { path, params } = concrete(route.path);
      const body = { reason: "try", expected_digest: `sha256:${"a".repeat(64)}`, digest: `sha256:${"b".repeat(64)}` };
      const anonymous = await callRoute(route, deps, path, params, { body: route.body ? body : undefined });
      expect(anonymous.status, `${route.method} ${route.path}`).toBe(401);
      if (route.method === "GET") continue;
      const refused = await callRoute(route, deps, path, params, { token: viewer.token, body });
      expect(refused.status, `${route.method} ${route.path}`).toBe(403);
      expect(refused.body.code).toBe("forbidden");
    }
    expect(started).toEqual([]);
    expect(await db().operation.count()).toBe(0);
    expect(await db().runtimeImagePin.count()).toBe(0);
    // Only the token's own creation is in the audit log.
    expect(await db().auditLog.count({ where: { NOT: { action: "api_token.created" } } })).toBe(0);
  });

  it("answers every read to a viewer token", async () => {
    const viewer = await makeToken(db(), "viewer");
    for (const route of API_ROUTES.filter((candidate) => candidate.method === "GET")) {
      const { path, params } = concrete(route.path);
      const response = await callRoute(route, testApiDeps(db), path, params, { token: viewer.token });
      // The one operation id is unknown: 404 is the route answering, not refusing.
      expect([200, 404], `${route.method} ${route.path}`).toContain(response.status);
    }
  });
});
