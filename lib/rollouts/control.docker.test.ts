// The operator's controls on a real rollout (issue 18): a ring that waits for an operator, an
// advance, and an abort that rolls back every ring already moved, without quarantining the image;
// and a ring whose reprovisions fail beyond its failure budget.
import { describe, expect, it } from "vitest";

import { replaceRings, ringFromRow } from "@/lib/db/rings";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushBrokenImage, randomSuffix } from "@/test/docker";
import { useRolloutFleet } from "@/test/rollout-fleet";

import { abortRollout, advanceRollout } from "./control";

describe.runIf(dockerServicesAvailable()).each(availableBackends())("rollout controls on dockerd and %s", (backend) => {
  const fleet = useRolloutFleet(backend, { manual: [] });
  const { ids, images, pinOf, imageOf, containerIdOf, promote, drive } = fleet;

  it("waits for an operator to advance, and an abort rolls back every ring it moved", async () => {
    const db = fleet.database();
    const rings = (await db.ring.findMany({ orderBy: { position: "asc" } })).map((row) => ringFromRow(row));
    await replaceRings(
      db,
      rings.map((ring) => ({ ...ring, autoAdvance: ring.name === "fleet" })),
      "olga@example.com",
    );
    const fleetContainers = await Promise.all(ids.slice(3).map(containerIdOf));
    const id = await promote(db, images.manual);
    await drive(db, id, { done: (view) => view.rings[0]!.status === "waiting" });

    const advanced = await advanceRollout(db, id, "op@example.com", "canary looks right", fleet.deps(db));
    expect(advanced.rings[0]!.status).toBe("passed");
    expect(advanced.rings[1]!.status).not.toBe("pending");
    await drive(db, id, { done: (view) => view.rings[1]!.status === "baking" });

    await abortRollout(db, id, "op@example.com", "changed our minds", fleet.deps(db));
    const view = await drive(db, id);
    expect(view.status).toBe("aborted");
    expect(view.rings.map((ring) => ring.status)).toEqual(["rolled_back", "rolled_back", "skipped"]);
    for (const workspace of ids.slice(0, 3)) expect(await imageOf(workspace)).toBe(images.old.digestRef);
    expect(await Promise.all(ids.slice(3).map(containerIdOf))).toEqual(fleetContainers);
    expect(await pinOf(db)).toBe(images.old.digest);
    // An operator's abort is not a verdict on the image: it is not quarantined.
    const ledger = await db.templateDigest.findUnique({
      where: { templateName_digest: { templateName: "hermes", digest: images.manual.digest } },
    });
    expect(ledger?.quarantinedAt ?? null).toBeNull();
    const actions = await db.auditLog.findMany({
      where: { targetId: id },
      orderBy: { id: "asc" },
      select: { action: true },
    });
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        "rollout.advanced",
        "rollout.aborted",
        "rollout.rollback_started",
        "rollout.rollback_finished",
      ]),
    );
  }, 300_000);

  it("fails the canary when its reprovisions fail beyond the budget, and rolls it back", async () => {
    const db = fleet.database();
    const before = await pinOf(db);
    const broken = await pushBrokenImage(images.old, `broken-${randomSuffix()}`);
    const untouched = await Promise.all(ids.slice(1).map(containerIdOf));
    const id = await promote(db, broken);
    const view = await drive(db, id);
    expect(view.status).toBe("rolled_back");
    expect(view.rings.map((ring) => ring.status)).toEqual(["failed", "skipped", "skipped"]);
    expect(view.statusReason).toMatch(/ring canary: 1 of 1 reprovisions failed \(failure budget 0\)/);
    expect(await imageOf(ids[0]!)).toBe(`${images.old.repository}@${before}`);
    expect(await Promise.all(ids.slice(1).map(containerIdOf))).toEqual(untouched);
    expect(await pinOf(db)).toBe(before);
    const ledger = await db.templateDigest.findUnique({
      where: { templateName_digest: { templateName: "hermes", digest: broken.digest } },
    });
    expect(ledger?.quarantinedAt).not.toBeNull();
  }, 300_000);
});
