// Rollouts on the real dockerd, registry and both databases (issue 18): a good image moves ring by
// ring with the pin moving when the last ring starts; an image that exits during the bake and one
// whose healthcheck turns unhealthy are rolled back from the canary alone; a driver stopped during
// a bake and started again (a restart) finishes the rollout. Bakes are seconds long; nothing here
// compares durations with the clock: the checks read states and the database's own timestamps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { promotePin } from "@/lib/db/pins";
import { replaceRings } from "@/lib/db/rings";
import { getRollout, type RolloutView } from "@/lib/db/rollouts/read";
import type { RingConfig } from "@/lib/domain/rings";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  inspectRaw,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import type { RolloutDeps } from "./deps";
import { startRolloutDriver } from "./driver";
import { tickRollout } from "./engine";

const ACTOR = "olga@example.com";
const ENDED = ["succeeded", "rolled_back", "aborted"];
const sh = (script: string) => JSON.stringify(["/bin/busybox", "sh", "-c", script]);

describe.runIf(dockerServicesAvailable()).each(availableBackends())("rollouts on dockerd and %s", (backend) => {
  const namespace = testNamespace("rollouts");
  const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "1", FLEETPIN_HEALTH_SETTLE_SECONDS: "1" });
  const docker = createDockerClient();
  const database = useTestDatabase(backend);
  const ids: string[] = [];
  let images: Record<"old" | "good" | "exits" | "unhealthy" | "later", PushedImage>;

  const push = (tag: string, changes: string[] = []) =>
    buildAndPushTestImage({
      repository: `${namespace}/workspace-template-hermes`,
      tag,
      marker: `${tag}-${randomSuffix()}`,
      changes,
    });

  const deps = (db: Db): RolloutDeps => ({
    env,
    dockerForHost: async () => docker,
    startOperation: (operationId) => void runOperation(operationId, { db, docker, env }),
  });

  beforeAll(async () => {
    images = {
      old: await push("old"),
      good: await push("good"),
      // Up long enough to pass the reprovision's health gate (1 s settle), then gone during the bake.
      exits: await push("exits", [`CMD ${sh("echo starting; /bin/busybox sleep 3; echo boom: giving up; exit 3")}`]),
      // Healthy first (the swap waits for it), unhealthy a few seconds later.
      unhealthy: await push("unhealthy", [
        'HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["/bin/busybox", "sh", "-c", "test ! -f /tmp/bad"]',
        `CMD ${sh("/bin/busybox sleep 3; /bin/busybox touch /tmp/bad; echo health going bad; while true; do /bin/busybox sleep 1; done")}`,
      ]),
      later: await push("later"),
    };
    const db = database();
    await db.$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${images.old.digest})`;
    const rows = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, status, created_at)
      SELECT 'ring-' || g || '-' || ${randomSuffix()}, 'hermes', 'offline', timestamptz '2026-01-01' + (g || ' seconds')::interval
      FROM generate_series(1, 5) g
      RETURNING id::text AS id`;
    ids.push(...rows.map((row) => row.id));
    // Every workspace starts on the old image, made by a plain reprovision (rings off).
    const { operationId } = await enqueueReprovision(db, { workspaceIds: ids, concurrency: 5 }, ACTOR);
    expect(await runOperation(operationId, { db, docker, env })).toBe("succeeded");
    const rings: RingConfig[] = [
      {
        name: "canary",
        bakeSeconds: 4,
        failureBudget: 0,
        maxUnavailable: 1,
        autoAdvance: true,
        selector: { workspaceIds: [ids[0]!] },
      },
      {
        name: "early",
        bakeSeconds: 2,
        failureBudget: 0,
        maxUnavailable: 0,
        autoAdvance: true,
        selector: { workspaceIds: [ids[1]!, ids[2]!] },
      },
      { name: "fleet", bakeSeconds: 2, failureBudget: 0, maxUnavailable: 0, autoAdvance: true, selector: null },
    ];
    await replaceRings(db, rings, ACTOR);
    await db.webhookEndpoint.create({
      data: { url: "http://127.0.0.1:9/hook", secret: "s", events: ["rollout.rolled_back"], createdBy: ACTOR },
    });
  }, 300_000);

  afterAll(async () => {
    for (const id of ids) await removeWorkspaceArtifacts(id);
  });

  const pinOf = async (db: Db) => (await db.runtimeImagePin.findUnique({ where: { templateName: "hermes" } }))!.digest;
  const imageOf = async (id: string) => (await inspectRaw(containerName(id)))?.Config.Image;
  const containerIdOf = async (id: string) => (await inspectRaw(containerName(id)))?.Id;

  async function promote(db: Db, image: PushedImage): Promise<string> {
    const change = await promotePin(
      db,
      { templateName: "hermes", digest: image.digest, expectedDigest: await pinOf(db), reason: `ship ${image.tag}` },
      ACTOR,
    );
    expect(change.rolloutId).toBeDefined();
    return change.rolloutId!;
  }

  /** Ticks the rollout until it ends, calling `each` with every state seen on the way. */
  async function drive(db: Db, id: string, each: (view: RolloutView, pin: string) => void = () => undefined) {
    let view = (await getRollout(db, id))!;
    await waitFor(
      async () => {
        await tickRollout(db, id, deps(db));
        view = (await getRollout(db, id))!;
        each(view, await pinOf(db));
        return ENDED.includes(view.status);
      },
      `rollout ${id} to end`,
      180_000,
    );
    return view;
  }

  it("moves a good image canary → early → fleet; the pin moves when fleet starts", async () => {
    const db = database();
    const id = await promote(db, images.good);
    expect(await pinOf(db)).toBe(images.old.digest);
    const seen: string[] = [];
    const view = await drive(db, id, (current, pin) => {
      const [canary, early, fleet] = current.rings;
      seen.push(current.rings.map((ring) => ring.status).join(","));
      // The pin follows the last ring's start, never before it.
      expect(pin).toBe(fleet!.status === "pending" ? images.old.digest : images.good.digest);
      // A ring starts only after the one before it passed.
      if (early!.status !== "pending") expect(canary!.status).toBe("passed");
      if (fleet!.status !== "pending") expect(early!.status).toBe("passed");
    });
    expect(view.status).toBe("succeeded");
    expect(view.rings.map((ring) => ring.workspaces.length)).toEqual([1, 2, 2]);
    expect(seen).toContain("baking,pending,pending");
    for (const workspace of ids) expect(await imageOf(workspace)).toBe(images.good.digestRef);
    expect(await pinOf(db)).toBe(images.good.digest);
    const history = await db.runtimeImagePinHistory.findMany({
      where: { templateName: "hermes" },
      orderBy: { id: "asc" },
    });
    expect(history.at(-1)).toMatchObject({
      action: "promote",
      fromDigest: images.old.digest,
      toDigest: images.good.digest,
    });
    // The canary's bake ran its full time from its last reprovision, on the database's clock.
    const canary = view.rings[0]!;
    expect(canary.bakeUntil!.getTime() - canary.bakeStartedAt!.getTime()).toBe(4_000);
  }, 300_000);

  it.each([
    ["exits 3 s after start", "exits" as const, /boom: giving up/],
    ["turns unhealthy during the bake", "unhealthy" as const, /unhealthy/],
  ])(
    "rolls back an image that %s from the canary alone and quarantines it",
    async (_name, bad, evidence) => {
      const db = database();
      const before = await pinOf(db);
      const untouched = new Map<string, string | undefined>();
      for (const workspace of ids.slice(1)) untouched.set(workspace, await containerIdOf(workspace));
      const id = await promote(db, images[bad]);
      let rollbackOperation: string | null = null;
      const view = await drive(db, id, (current) => {
        rollbackOperation = current.rollbackOperationId ?? rollbackOperation;
      });
      expect(view.status).toBe("rolled_back");
      expect(view.rings.map((ring) => ring.status)).toEqual(["failed", "skipped", "skipped"]);
      expect(view.statusReason).toMatch(/ring canary/);
      const failures = view.rings[0]!.gate!.failures;
      expect(failures.map((failure) => failure.workspaceId)).toEqual([ids[0]]);
      const canaryMember = view.rings[0]!.workspaces[0]!;
      expect(`${failures[0]!.reason}\n${(canaryMember.lastLogLines ?? []).join("\n")}`).toMatch(evidence);
      // The rollback's reprovision ended before the rollout did: the canary runs the old digest again.
      await waitFor(
        async () => (await imageOf(ids[0]!)) === `${images.good.repository}@${before}`,
        "canary back on the old digest",
      );
      expect(rollbackOperation).not.toBeNull();
      for (const [workspace, containerId] of untouched) expect(await containerIdOf(workspace)).toBe(containerId);
      expect(await pinOf(db)).toBe(before);
      const ledger = await db.templateDigest.findUnique({
        where: { templateName_digest: { templateName: "hermes", digest: images[bad].digest } },
      });
      expect(ledger?.quarantinedAt).not.toBeNull();
      const hooks = await db.webhookDelivery.findMany({ where: { event: "rollout.rolled_back" } });
      expect(hooks.some((hook) => (hook.payload as { data: { rollout_id: string } }).data.rollout_id === id)).toBe(
        true,
      );
    },
    300_000,
  );

  it("resumes a rollout whose driver stopped during the bake (a restart) and finishes it", async () => {
    const db = database();
    const id = await promote(db, images.later);
    const options = () => ({ db: async () => db, everyMs: 300, ...deps(db) });
    const stopFirst = startRolloutDriver(options());
    await waitFor(async () => (await getRollout(db, id))!.rings[0]!.status === "baking", "the canary to bake");
    stopFirst();
    // Nothing of the first driver's memory is needed: a second one reads everything from the database.
    const stopSecond = startRolloutDriver(options());
    try {
      await waitFor(async () => ENDED.includes((await getRollout(db, id))!.status), "the rollout to end", 180_000);
    } finally {
      stopSecond();
    }
    const view = (await getRollout(db, id))!;
    expect(view.status).toBe("succeeded");
    const canary = view.rings[0]!;
    expect(canary.bakeUntil!.getTime() - canary.bakeStartedAt!.getTime()).toBe(4_000);
    // Passed no earlier than its bake's end, by the database's clock.
    expect(canary.finishedAt!.getTime()).toBeGreaterThanOrEqual(canary.bakeUntil!.getTime());
    for (const workspace of ids) expect(await imageOf(workspace)).toBe(images.later.digestRef);
  }, 300_000);
});
