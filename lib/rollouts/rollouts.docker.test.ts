// Rollouts on the real dockerd, registry and both databases (issue 18): a good image moves ring by
// ring with the pin moving when the last ring starts; an image that exits during the bake and one
// whose healthcheck turns unhealthy are rolled back from the canary alone; a driver stopped during
// a bake and started again (a restart) finishes the rollout. Bakes are seconds long; nothing here
// compares durations with the clock: the checks read states and the database's own timestamps.
import { describe, expect, it } from "vitest";

import { getRollout } from "@/lib/db/rollouts/read";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable } from "@/test/docker";
import { ENDED, shCmd, useRolloutFleet } from "@/test/rollout-fleet";
import { waitFor } from "@/test/wait-for";

import { startRolloutDriver } from "./driver";

describe.runIf(dockerServicesAvailable()).each(availableBackends())("rollouts on dockerd and %s", (backend) => {
  const fleet = useRolloutFleet(backend, {
    good: [],
    // Up long enough to pass the reprovision's health gate (1 s settle), then gone during the bake.
    exits: [shCmd("echo starting; /bin/busybox sleep 3; echo boom: giving up; exit 3")],
    // Healthy first (the swap waits for it), unhealthy a few seconds later.
    unhealthy: [
      'HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["/bin/busybox", "sh", "-c", "test ! -f /tmp/bad"]',
      shCmd(
        "/bin/busybox sleep 3; /bin/busybox touch /tmp/bad; echo health going bad; while true; do /bin/busybox sleep 1; done",
      ),
    ],
    later: [],
  });
  const { ids, images, pinOf, imageOf, containerIdOf, promote, drive } = fleet;

  it("moves a good image canary → early → fleet; the pin moves when fleet starts", async () => {
    const db = fleet.database();
    const id = await promote(db, images.good);
    expect(await pinOf(db)).toBe(images.old.digest);
    const seen: string[] = [];
    const view = await drive(db, id, {
      each: (current, pin) => {
        const [canary, early, last] = current.rings;
        seen.push(current.rings.map((ring) => ring.status).join(","));
        // The pin follows the last ring's start, never before it.
        expect(pin).toBe(last!.status === "pending" ? images.old.digest : images.good.digest);
        // A ring starts only after the one before it passed.
        if (early!.status !== "pending") expect(canary!.status).toBe("passed");
        if (last!.status !== "pending") expect(early!.status).toBe("passed");
      },
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
      const db = fleet.database();
      const before = await pinOf(db);
      const untouched = new Map<string, string | undefined>();
      for (const workspace of ids.slice(1)) untouched.set(workspace, await containerIdOf(workspace));
      const id = await promote(db, images[bad]);
      const view = await drive(db, id);
      expect(view.status).toBe("rolled_back");
      expect(view.rings.map((ring) => ring.status)).toEqual(["failed", "skipped", "skipped"]);
      expect(view.statusReason).toMatch(/ring canary/);
      expect(view.rollbackOperationId).not.toBeNull();
      const failures = view.rings[0]!.gate!.failures;
      expect(failures.map((failure) => failure.workspaceId)).toEqual([ids[0]]);
      const canaryMember = view.rings[0]!.workspaces[0]!;
      expect(`${failures[0]!.reason}\n${(canaryMember.lastLogLines ?? []).join("\n")}`).toMatch(evidence);
      // The rollback's reprovision ended before the rollout did: the canary runs the old digest again.
      expect(await imageOf(ids[0]!)).toBe(`${images.good.repository}@${before}`);
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
    const db = fleet.database();
    const id = await promote(db, images.later);
    const options = () => ({ db: async () => db, everyMs: 300, ...fleet.deps(db) });
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
