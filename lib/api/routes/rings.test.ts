// GET/PUT/DELETE /api/v1/rings on real PostgreSQL and PGlite: the API's own part (shapes, statuses,
// actor, 422 field names); the ring rules themselves are table-tested in lib/domain/rings.test.ts.
import { describe, expect, it } from "vitest";

import { callRoute, makeToken, testApiDeps, TOKEN_CREATOR } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { disableRingsRoute, listRingsRoute, replaceRingsRoute } from "./rings";

const WS = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";
const RINGS = [
  {
    name: "canary",
    bake_seconds: 3,
    failure_budget: 0,
    max_unavailable: 1,
    auto_advance: true,
    selector: { workspace_ids: [WS], labels: { "molecule.ring": "canary" } },
  },
  {
    name: "early",
    bake_seconds: 2,
    failure_budget: 1,
    max_unavailable: 2,
    auto_advance: false,
    selector: { percent: 25 },
  },
  { name: "fleet", bake_seconds: 0, failure_budget: 0, max_unavailable: 0, auto_advance: true },
];

describe.each(availableBackends())("API v1 rings on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens", "audit_log", "rings", "ring_templates"] });
  const deps = testApiDeps(db);

  it("lists no rings while they were never saved, replaces the whole list (audited as the token), disables", async () => {
    const { token } = await makeToken(db(), "operator", { name: "ci" });
    const before = await callRoute(listRingsRoute, deps, "/rings", {}, { token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ enabled: false, rings: [], templates: [] });

    const saved = await callRoute(replaceRingsRoute, deps, "/rings", {}, { token, body: { rings: RINGS } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      enabled: true,
      rings: [RINGS[0], RINGS[1], { ...RINGS[2], selector: null }],
      templates: [],
    });
    const after = await callRoute(listRingsRoute, deps, "/rings", {}, { token });
    expect(after.body).toEqual(saved.body);
    const audit = await db().auditLog.findMany({ where: { NOT: { action: "api_token.created" } } });
    expect(audit).toEqual([expect.objectContaining({ actor: `token:ci (created by ${TOKEN_CREATOR})` })]);

    const disabled = await callRoute(disableRingsRoute, deps, "/rings", {}, { token });
    expect(disabled).toMatchObject({ status: 200, body: { enabled: false } });
    expect((await callRoute(listRingsRoute, deps, "/rings", {}, { token })).body).toEqual({
      enabled: false,
      rings: [],
      templates: [],
    });
    const actions = await db().auditLog.findMany({ where: { targetType: "rings" }, orderBy: { id: "asc" } });
    expect(actions.map((row) => row.action)).toEqual(["rings.replaced", "rings.disabled"]);
  });

  it("limits the rings to chosen templates; a PUT without templates keeps the choice", async () => {
    const { token } = await makeToken(db(), "operator");
    const put = (body: unknown) => callRoute(replaceRingsRoute, deps, "/rings", {}, { token, body });
    expect((await put({ rings: RINGS, templates: ["codex", "hermes"] })).body.templates).toEqual(["codex", "hermes"]);
    expect((await put({ rings: RINGS })).body.templates).toEqual(["codex", "hermes"]);
    expect((await put({ rings: RINGS, templates: [] })).body.templates).toEqual([]);
    expect((await put({ rings: RINGS, templates: [""] })).status).toBe(422);
  });

  it("refuses a bad list with 422 naming the fields, and keeps the stored one", async () => {
    const { token } = await makeToken(db(), "operator");
    await callRoute(replaceRingsRoute, deps, "/rings", {}, { token, body: { rings: RINGS } });
    const cases: [unknown, string][] = [
      [{ rings: [] }, "rings"],
      [{ rings: [RINGS[0], RINGS[0], RINGS[2]] }, "rings"], // duplicate names
      [{ rings: [RINGS[2], RINGS[2]] }, "rings"], // two rings without a selector
      [{ rings: [{ ...RINGS[0], bake_seconds: -1 }, RINGS[2]] }, "rings.0.bake_seconds"],
      [{ rings: [{ ...RINGS[0], selector: { percent: 0 } }, RINGS[2]] }, "rings.0.selector.percent"],
      [{ rings: [{ ...RINGS[0], selector: { workspace_ids: ["x"] } }, RINGS[2]] }, "rings.0.selector.workspace_ids.0"],
    ];
    for (const [body, field] of cases) {
      const refused = await callRoute(replaceRingsRoute, deps, "/rings", {}, { token, body });
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(refused.body.errors), JSON.stringify(body)).toContain(field);
    }
    const kept = await callRoute(listRingsRoute, deps, "/rings", {}, { token });
    expect(kept.body.rings.map((ring: { name: string }) => ring.name)).toEqual(["canary", "early", "fleet"]);
    expect(kept.body.rings[1].auto_advance).toBe(false);
  });

  it("lets a viewer read but not replace or disable", async () => {
    const viewer = await makeToken(db(), "viewer");
    expect((await callRoute(listRingsRoute, deps, "/rings", {}, { token: viewer.token })).status).toBe(200);
    const put = await callRoute(replaceRingsRoute, deps, "/rings", {}, { token: viewer.token, body: { rings: RINGS } });
    expect(put.status).toBe(403);
    expect((await callRoute(disableRingsRoute, deps, "/rings", {}, { token: viewer.token })).status).toBe(403);
  });
});
