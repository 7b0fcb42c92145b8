import { describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { promotePin, rollbackPin } from "@/lib/db/pins";
import { disableRings, loadRings, replaceRings } from "@/lib/db/rings";
import { listStaleWorkspaceIds, staleSummary } from "@/lib/db/stale-fleet";
import { ConflictError, ValidationError } from "@/lib/domain/errors";
import { DEFAULT_RINGS, type RingConfig } from "@/lib/domain/rings";
import { nextRolloutAction } from "@/lib/domain/rollout-machine";
import { availableBackends } from "@/test/databases";
import { ACTOR, PIN_DIGEST, useOperationsDatabase } from "@/test/operation-fixtures";

import { abortRolloutTx, advanceRolloutTx, pauseRolloutTx, resumeRolloutTx } from "./control";
import { activeRolloutFor, getRollout, listRollouts } from "./read";
import { beginBakeTx, recordMembershipTx, startRingTx } from "./ring-writes";
import { loadRolloutState, machineInputOf } from "./state";

const NEW = `sha256:${"c".repeat(64)}`;
const RINGS: RingConfig[] = [
  { ...DEFAULT_RINGS[0]!, bakeSeconds: 2 },
  { ...DEFAULT_RINGS[1]!, bakeSeconds: 2 },
  DEFAULT_RINGS[2]!,
];

describe.each(availableBackends())("rings and rollouts on %s", (backend) => {
  const { db, seed, operationWith } = useOperationsDatabase(backend);

  async function truncateRollouts() {
    await db().$executeRawUnsafe(
      "TRUNCATE rings, rollouts, rollout_rings, rollout_workspaces, template_digests, runtime_image_pin_history CASCADE",
    );
  }
  const promote = (digest = NEW) =>
    promotePin(db(), { templateName: "hermes", digest, expectedDigest: PIN_DIGEST, reason: "release 8" }, ACTOR);

  it("stores, replaces and disables rings, each audited; off until configured", async () => {
    await truncateRollouts();
    expect(await loadRings(db())).toEqual({ enabled: false, rings: [], templates: [] });
    expect(await replaceRings(db(), RINGS, ACTOR)).toEqual(RINGS);
    expect(await loadRings(db())).toEqual({ enabled: true, rings: RINGS, templates: [] });
    await replaceRings(db(), RINGS, ACTOR, { templates: ["codex"] });
    expect((await loadRings(db())).templates).toEqual(["codex"]);
    // hermes is not among the templates the rings apply to: its promote moves the pin at once.
    expect((await promote()).rolloutId).toBeUndefined();
    expect((await db().runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest).toBe(NEW);
    await db().runtimeImagePin.update({ where: { templateName: "hermes" }, data: { digest: PIN_DIGEST } });
    await expect(replaceRings(db(), [RINGS[0]!], ACTOR)).rejects.toThrow(ValidationError);
    await disableRings(db(), ACTOR);
    expect((await loadRings(db())).enabled).toBe(false);
    const audit = await db().auditLog.findMany({ where: { targetType: "rings" }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(["rings.replaced", "rings.replaced", "rings.disabled"]);
    expect((await loadRings(db())).templates).toEqual([]);
  });

  it("a promote with rings starts a rollout instead of moving the pin, and holds the template", async () => {
    await truncateRollouts();
    await replaceRings(db(), RINGS, ACTOR);
    // A hermes run that finished with a failure before the rollout (retried further down).
    const { operationId: earlier } = await operationWith(["failed", "succeeded"]);
    await db().operation.update({ where: { id: earlier }, data: { status: "partially_failed" } });
    const change = await promote();
    expect(change.rolloutId).toBeDefined();
    expect((await db().runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest).toBe(PIN_DIGEST);
    expect(await activeRolloutFor(db(), "hermes")).toEqual({ id: change.rolloutId, status: "running" });
    const view = (await getRollout(db(), change.rolloutId!))!;
    expect(view.rings.map((ring) => [ring.name, ring.status])).toEqual([
      ["canary", "pending"],
      ["early", "pending"],
      ["fleet", "pending"],
    ]);
    expect((await listRollouts(db(), { templateName: "hermes" }))[0]!.ringNames).toEqual(["canary", "early", "fleet"]);

    const named = new RegExp(`hermes has rollout ${change.rolloutId} running \\(canary pending\\)`);
    await expect(promote(`sha256:${"d".repeat(64)}`)).rejects.toThrow(named);
    await expect(promote(`sha256:${"d".repeat(64)}`)).rejects.toThrow(ConflictError);
    await expect(
      rollbackPin(db(), { templateName: "hermes", expectedDigest: PIN_DIGEST, reason: "x" }, ACTOR),
    ).rejects.toThrow(named);
    await seed([{ name: "w1" }, { name: "w2" }]);
    await expect(enqueueReprovision(db(), { allStale: true, template: "hermes" }, ACTOR)).rejects.toThrow(named);
    // "Retry failed" of an earlier hermes run would recreate containers under the rollout's feet
    // (a baking ring's gate counts a replaced container as a failure): refused the same way.
    await expect(enqueueReprovision(db(), { retryOf: earlier }, ACTOR)).rejects.toThrow(named);
    // The partial unique index is the backstop behind the check.
    await expect(
      db()
        .$executeRaw`INSERT INTO rollouts (template_name, to_digest, actor, reason, status) VALUES ('hermes', ${NEW}, 'x', 'y', 'paused')`,
    ).rejects.toThrow();
  });

  it("measures workspaces against their ring's target; the last ring's start moves the pin with history", async () => {
    await truncateRollouts();
    await replaceRings(db(), RINGS, ACTOR);
    const [canary, fleet] = await seed([
      { name: "canary-1", digest: NEW },
      { name: "fleet-1", digest: PIN_DIGEST },
    ]);
    const { rolloutId } = await promote();
    const id = rolloutId!;
    await db().$transaction((tx) =>
      recordMembershipTx(tx, id, [
        { workspaceId: canary!, ringPosition: 0 },
        { workspaceId: fleet!, ringPosition: 2 },
      ]),
    );
    let state = (await loadRolloutState(db(), id))!;
    await db().$transaction((tx) => startRingTx(tx, state, 0, null, false));
    // canary-1 runs the new digest its ring targets, fleet-1 the pin: neither is stale.
    const hermes = (await staleSummary(db())).find((row) => row.templateName === "hermes")!;
    expect([hermes.onPin, hermes.stale]).toEqual([2, 0]);
    expect(await listStaleWorkspaceIds(db(), "hermes")).toEqual([]);
    // One workspace reprovisioned by hand goes to its ring's target.
    const single = await enqueueReprovision(db(), { workspaceIds: [canary!] }, ACTOR);
    expect((await db().operation.findUnique({ where: { id: single.operationId } }))!.targetDigest).toBe(NEW);
    await db().operation.update({ where: { id: single.operationId }, data: { status: "cancelled" } });
    await db().operationItem.updateMany({ where: { operationId: single.operationId }, data: { status: "cancelled" } });

    state = (await loadRolloutState(db(), id))!;
    await db().$transaction((tx) => startRingTx(tx, state, 2, null, true));
    expect((await db().runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest).toBe(NEW);
    const history = await db().runtimeImagePinHistory.findMany({ where: { templateName: "hermes" } });
    expect(history.map((step) => [step.action, step.fromDigest, step.toDigest])).toEqual([
      ["promote", PIN_DIGEST, NEW],
    ]);
    // Now fleet-1's target is the new digest: it is stale.
    expect(await listStaleWorkspaceIds(db(), "hermes")).toEqual([fleet]);
  });

  it("operators pause, resume, advance and abort, each audited; wrong states are conflicts", async () => {
    await truncateRollouts();
    await replaceRings(db(), RINGS, ACTOR);
    const id = (await promote()).rolloutId!;
    await pauseRolloutTx(db(), id, "op@x", "looks odd");
    await expect(pauseRolloutTx(db(), id, "op@x", "again")).rejects.toThrow(ConflictError);
    await resumeRolloutTx(db(), id, "op@x");
    await expect(advanceRolloutTx(db(), id, "op@x", "go")).rejects.toThrow(/canary is pending/);
    const state = (await loadRolloutState(db(), id))!;
    await db().$transaction(async (tx) => {
      await startRingTx(tx, state, 0, null, false);
      await beginBakeTx(tx, state, 0, { startedAt: state.now, until: new Date(state.now.getTime() + 600_000) }, []);
    });
    await advanceRolloutTx(db(), id, "op@x", "canary looks fine");
    expect((await getRollout(db(), id))!.rings[0]!.status).toBe("passed");
    await abortRolloutTx(db(), id, "op@x", "changed my mind");
    const view = (await getRollout(db(), id))!;
    expect([view.status, view.statusReason]).toEqual(["paused", "aborted: changed my mind"]);
    expect(view.rings.map((ring) => ring.status)).toEqual(["passed", "skipped", "skipped"]);
    await expect(resumeRolloutTx(db(), id, "op@x")).rejects.toThrow(/rolling back/);
    const actions = await db().auditLog.findMany({ where: { targetId: id }, orderBy: { id: "asc" } });
    expect(actions.map((row) => row.action)).toEqual([
      "rollout.started",
      "rollout.paused",
      "rollout.resumed",
      "rollout.ring_started",
      "rollout.advanced",
      "rollout.aborted",
    ]);
  });

  it("a resume restarts the bake the pause interrupted, so time spent paused never passes the ring", async () => {
    await truncateRollouts();
    await replaceRings(db(), [{ ...RINGS[0]!, bakeSeconds: 600 }, RINGS[1]!, RINGS[2]!], ACTOR);
    const id = (await promote()).rolloutId!;
    const state = (await loadRolloutState(db(), id))!;
    // A bake that began an hour ago and ran out during the pause, as far as the old window goes.
    const startedAt = new Date(state.now.getTime() - 3_600_000);
    const oldBake = { startedAt, until: new Date(startedAt.getTime() + 600_000) };
    await db().$transaction(async (tx) => {
      await startRingTx(tx, state, 0, null, false);
      await beginBakeTx(tx, state, 0, oldBake, []);
    });
    await pauseRolloutTx(db(), id, "op@x", "let me look");
    await resumeRolloutTx(db(), id, "op@x");

    const ring = await db().rolloutRing.findUniqueOrThrow({
      where: { rolloutId_position: { rolloutId: id, position: 0 } },
    });
    const [paused, resumed] = await db().auditLog.findMany({
      where: { targetId: id, action: { in: ["rollout.paused", "rollout.resumed"] } },
      orderBy: { id: "asc" },
    });
    // A whole new bake, begun by the database's clock after the pause and by the resume's audit row.
    expect(ring.status).toBe("baking");
    expect(ring.bakeStartedAt!.getTime()).toBeGreaterThan(paused!.createdAt.getTime());
    expect(ring.bakeStartedAt!.getTime()).toBeLessThanOrEqual(resumed!.createdAt.getTime());
    expect(ring.bakeUntil!.getTime() - ring.bakeStartedAt!.getTime()).toBe(600_000);
    expect(resumed!.after).toMatchObject({
      bakeRestarted: { ring: "canary", bakeUntil: ring.bakeUntil!.toISOString() },
    });
    // The next tick keeps baking instead of passing the ring on the old window.
    const after = (await loadRolloutState(db(), id))!;
    expect(nextRolloutAction(machineInputOf(after, { ok: true, failures: [] }))).toEqual({
      type: "wait",
      ring: 0,
      until: ring.bakeUntil,
      why: "baking",
    });
  });

  it("the CHECKs refuse unknown statuses and bake times", async () => {
    await truncateRollouts();
    const bad = [
      db()
        .$executeRaw`INSERT INTO rollouts (template_name, to_digest, actor, reason, status) VALUES ('x', ${NEW}, 'a', 'r', 'done')`,
      db()
        .$executeRaw`INSERT INTO rollouts (template_name, to_digest, actor, reason, rollback_ending) VALUES ('x', ${NEW}, 'a', 'r', 'gone')`,
      db().$executeRaw`INSERT INTO rings (position, name, bake_seconds, updated_by) VALUES (0, 'a', 90000, 'x')`,
    ];
    for (const statement of bad) await expect(statement).rejects.toThrow();
    const [row] = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO rollouts (template_name, to_digest, actor, reason) VALUES ('x', ${NEW}, 'a', 'r') RETURNING id::text`;
    await expect(
      db()
        .$executeRaw`INSERT INTO rollout_rings (rollout_id, position, name, bake_seconds, failure_budget, max_unavailable, auto_advance, status)
                       VALUES (${row!.id}::uuid, 0, 'a', 1, 0, 0, true, 'cooking')`,
    ).rejects.toThrow();
  });
});
