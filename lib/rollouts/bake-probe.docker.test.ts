// The bake gate's HTTP probe against a real endpoint (issue 18): workspaces on containers the way
// the platform makes them (a user-defined bridge, 8000/tcp published on a loopback port), images
// whose CMD serves /www with busybox httpd. The probe goes through each reprovisioned container's
// published port: an answered path passes the canary, a 404 fails it, rolls it back and
// quarantines the image, with the probe named in the failure.
import { describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { replaceRings, ringFromRow } from "@/lib/db/rings";
import type { RingProbe } from "@/lib/domain/rings";
import { containerName } from "@/lib/provisioner/containers/naming";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, inspectRaw } from "@/test/docker";
import { shCmd, useRolloutFleet } from "@/test/rollout-fleet";

const HTTPD = shCmd(
  "/bin/busybox mkdir -p /www && echo ok > /www/index.html && exec /bin/busybox httpd -f -p 8000 -h /www",
);

/** Every ring probes `probe`; the rollout snapshots its rings when it starts, so set this before promoting. */
async function probeEveryRing(db: Db, probe: RingProbe): Promise<void> {
  const rings = (await db.ring.findMany({ orderBy: { position: "asc" } })).map((row) => ringFromRow(row));
  await replaceRings(
    db,
    rings.map((ring) => ({ ...ring, probe })),
    "olga@example.com",
  );
}

describe.runIf(dockerServicesAvailable()).each(availableBackends())(
  "the bake's HTTP probe on dockerd and %s",
  (backend) => {
    const fleet = useRolloutFleet(backend, { serves: [HTTPD], lacks: [HTTPD] }, { publishedPorts: true });
    const { ids, images, pinOf, imageOf, containerIdOf, promote, drive } = fleet;

    it("passes every ring whose workspaces answer the probe through their published port", async () => {
      const db = fleet.database();
      await probeEveryRing(db, { path: "/index.html", expectedStatus: 200 });
      const id = await promote(db, images.serves);
      const view = await drive(db, id);
      expect(view.status).toBe("succeeded");
      expect(view.rings.map((ring) => ring.status)).toEqual(["passed", "passed", "passed"]);
      for (const workspace of ids) {
        expect(await imageOf(workspace)).toBe(images.serves.digestRef);
        // The clone kept the platform's port binding: the probe had a port to go through (without
        // one the gate fails with "no published port").
        const ports = (await inspectRaw(containerName(workspace)))?.NetworkSettings.Ports ?? {};
        expect(ports["8000/tcp"]?.[0]?.HostIp).toBe("127.0.0.1");
      }
      expect(await pinOf(db)).toBe(images.serves.digest);
    }, 300_000);

    it("fails the canary on a 404, rolls it back and quarantines the image, naming the probe", async () => {
      const db = fleet.database();
      await probeEveryRing(db, { path: "/missing", expectedStatus: 200 });
      const before = await pinOf(db);
      const untouched = await Promise.all(ids.slice(1).map(containerIdOf));
      const id = await promote(db, images.lacks);
      const view = await drive(db, id);
      expect(view.status).toBe("rolled_back");
      expect(view.rings.map((ring) => ring.status)).toEqual(["failed", "skipped", "skipped"]);
      expect(view.statusReason).toMatch(/ring canary/);
      const failures = view.rings[0]!.gate!.failures;
      expect(failures.map((failure) => failure.workspaceId)).toEqual([ids[0]]);
      expect(failures[0]!.reason).toMatch(/probe \/missing answered 404, expected 200/);
      expect(await imageOf(ids[0]!)).toBe(`${images.lacks.repository}@${before}`);
      expect(await Promise.all(ids.slice(1).map(containerIdOf))).toEqual(untouched);
      expect(await pinOf(db)).toBe(before);
      const ledger = await db.templateDigest.findUnique({
        where: { templateName_digest: { templateName: "hermes", digest: images.lacks.digest } },
      });
      expect(ledger?.quarantinedAt).not.toBeNull();
    }, 300_000);
  },
);
