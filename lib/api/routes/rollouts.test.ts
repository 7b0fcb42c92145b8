// /api/v1/rollouts and promote's rollout_id, on real PostgreSQL and PGlite with the test registry
// (promote checks the digest there). The API's own part: shapes, filters, typed errors → 404/409,
// the token as actor. No driver runs here: a rollout moves only when a control ticks the engine
// once (lib/rollouts/control.ts); with no workspaces its rings pass at once (the engine's own
// steps on dockerd are lib/rollouts/rollouts.docker.test.ts).
import { beforeAll, describe, expect, it } from "vitest";

import { replaceRings } from "@/lib/db/rings";
import { DEFAULT_RINGS } from "@/lib/domain/rings";
import { callRoute, makeToken, testApiDeps, TOKEN_CREATOR } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import type { PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { promoteRoute } from "./pin-changes";
import {
  abortRolloutRoute,
  advanceRolloutRoute,
  getRolloutRoute,
  listRolloutsRoute,
  pauseRolloutRoute,
  resumeRolloutRoute,
} from "./rollouts";

const ACTOR = `token:ci (created by ${TOKEN_CREATOR})`;
const UNKNOWN = "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f";

describe.runIf(dockerServicesAvailable()).each(availableBackends())("API v1 rollouts on %s", (backend) => {
  const namespace = testNamespace("rollouts-api");
  const db = useTestDatabase(backend, {
    truncate: ["api_tokens", "audit_log", "rings", "rollouts", "runtime_image_pins", "template_digests"],
  });
  const deps = testApiDeps(db, { env: dockerTestEnv(namespace) });
  let a: PushedImage;
  let b: PushedImage;

  beforeAll(async () => {
    a = await pushTemplateImage({ namespace, runtime: "hermes", marker: `A-${randomSuffix()}` });
    b = await pushTemplateImage({ namespace, runtime: "hermes", marker: `B-${randomSuffix()}` });
  }, 120_000);

  /** Pins A (no rings yet), turns rings on, and promotes B through the API: the rollout it started. */
  async function startRollout(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const promote = (digest: string, reason: string) =>
      callRoute(
        promoteRoute,
        deps,
        "/pins/hermes/promote",
        { template: "hermes" },
        { token, body: { digest, reason } },
      );
    expect((await promote(a.digest, "baseline")).body).not.toHaveProperty("rollout_id");
    await replaceRings(db(), DEFAULT_RINGS, "olga@example.com");
    return promote(b.digest, "release B");
  }

  it("a promote with rings answers rollout_id; the rollout reads back in snake_case, listed and filtered", async () => {
    const { token } = await makeToken(db(), "operator", { name: "ci" });
    const promoted = await startRollout(token);
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ action: "promote", from_digest: a.digest, to_digest: b.digest });
    const id = promoted.body.rollout_id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const got = await callRoute(getRolloutRoute, deps, `/rollouts/${id}`, { id }, { token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id,
      template_name: "hermes",
      from_digest: a.digest,
      to_digest: b.digest,
      actor: ACTOR,
      reason: "release B",
      status: "running",
      current_ring: 0,
      finished_at: null,
    });
    expect(got.body.rings.map((ring: { name: string; status: string }) => [ring.name, ring.status])).toEqual([
      ["canary", "pending"],
      ["early", "pending"],
      ["fleet", "pending"],
    ]);
    expect(got.body.rings[0]).toMatchObject({ bake_seconds: 600, auto_advance: true, bake_until: null, gate: null });

    const list = (query: Record<string, string>) =>
      callRoute(listRolloutsRoute, deps, "/rollouts", {}, { token, query });
    expect((await list({})).body.rollouts).toEqual([
      expect.objectContaining({ id, status: "running", ring_names: ["canary", "early", "fleet"] }),
    ]);
    expect((await list({ template: "hermes", status: "running" })).body.rollouts).toHaveLength(1);
    expect((await list({ status: "succeeded" })).body.rollouts).toEqual([]);
    expect((await list({ template: "codex" })).body.rollouts).toEqual([]);
    expect((await list({ status: "exploded" })).status).toBe(422);
  });

  it("pause, resume, advance and abort: audited as the token with the reason; wrong states 409, unknown ids 404", async () => {
    const { token } = await makeToken(db(), "operator", { name: "ci" });
    const id = (await startRollout(token)).body.rollout_id as string;
    const control = (route: typeof pauseRolloutRoute, name: string, body?: unknown) =>
      callRoute(route, deps, `/rollouts/${id}/${name}`, { id }, { token, body });

    const paused = await control(pauseRolloutRoute, "pause", { reason: "looks odd" });
    expect(paused).toMatchObject({ status: 200, body: { id, status: "paused", status_reason: "looks odd" } });
    expect((await control(pauseRolloutRoute, "pause", { reason: "again" })).status).toBe(409);
    expect((await control(pauseRolloutRoute, "pause", {})).status).toBe(422);
    // Paused before the canary started: nothing bakes or waits, so nothing to advance.
    const early = await control(advanceRolloutRoute, "advance", { reason: "go" });
    expect(early).toMatchObject({ status: 409, body: { code: "conflict", detail: expect.stringContaining("canary") } });
    const aborted = await control(abortRolloutRoute, "abort", { reason: "changed my mind" });
    expect(aborted).toMatchObject({ status: 200, body: { status: "aborted" } });
    expect(aborted.body.status_reason).toContain("changed my mind");
    expect((await control(resumeRolloutRoute, "resume")).status).toBe(409);

    const audit = await db().auditLog.findMany({ where: { targetId: id }, orderBy: { id: "asc" } });
    const byAction = Object.fromEntries(audit.map((row) => [row.action, row]));
    expect(byAction["rollout.paused"]).toMatchObject({ actor: ACTOR, reason: "looks odd" });
    expect(byAction["rollout.aborted"]).toMatchObject({ actor: ACTOR });
    expect(audit[0]).toMatchObject({ action: "rollout.started", actor: ACTOR });

    for (const [route, name] of [
      [pauseRolloutRoute, "pause"],
      [abortRolloutRoute, "abort"],
    ] as const) {
      const missing = await callRoute(
        route,
        deps,
        `/rollouts/${UNKNOWN}/${name}`,
        { id: UNKNOWN },
        {
          token,
          body: { reason: "x" },
        },
      );
      expect(missing.status, name).toBe(404);
    }
    expect((await callRoute(getRolloutRoute, deps, `/rollouts/${UNKNOWN}`, { id: UNKNOWN }, { token })).status).toBe(
      404,
    );
    expect((await callRoute(getRolloutRoute, deps, "/rollouts/nope", { id: "nope" }, { token })).status).toBe(404);
  });

  it("resume carries on at once: with no workspace in any ring every ring passes and the pin moves", async () => {
    const { token } = await makeToken(db(), "operator");
    const id = (await startRollout(token)).body.rollout_id as string;
    const control = (route: typeof pauseRolloutRoute, name: string, body?: unknown) =>
      callRoute(route, deps, `/rollouts/${id}/${name}`, { id }, { token, body });
    await control(pauseRolloutRoute, "pause", { reason: "wait" });
    const resumed = await control(resumeRolloutRoute, "resume");
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe("succeeded");
    expect(resumed.body.rings.map((ring: { status: string }) => ring.status)).toEqual(["passed", "passed", "passed"]);
    expect((await db().runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest).toBe(b.digest);
  });

  it("lets a viewer read rollouts but not control them", async () => {
    const { token } = await makeToken(db(), "operator");
    const viewer = await makeToken(db(), "viewer");
    const id = (await startRollout(token)).body.rollout_id as string;
    expect((await callRoute(getRolloutRoute, deps, `/rollouts/${id}`, { id }, { token: viewer.token })).status).toBe(
      200,
    );
    const refused = await callRoute(
      pauseRolloutRoute,
      deps,
      `/rollouts/${id}/pause`,
      { id },
      {
        token: viewer.token,
        body: { reason: "x" },
      },
    );
    expect(refused.status).toBe(403);
    expect((await callRoute(getRolloutRoute, deps, `/rollouts/${id}`, { id }, { token })).body.status).toBe("running");
  });
});
