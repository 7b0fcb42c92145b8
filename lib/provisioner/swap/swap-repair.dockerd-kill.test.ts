// Fault: the Docker engine is killed by PID in the middle of a bulk reprovision, then started
// again. Rule: every workspace ends running, on exactly one of the two images, and each
// operation item says which. Uses a dockerd of its own (the shared one serves other files).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { readSwapRecord } from "@/lib/db/swap-journal";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  pushTwoTemplateImages,
  randomSuffix,
  testNamespace,
} from "@/test/docker";
import type { PushedImage } from "@/test/images";
import { startPrivateDockerd, type PrivateDockerd } from "@/test/private-dockerd";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { startRepairLoop } from "./repair-loop";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "autogen";
const WORKSPACES = 6;
const namespace = testNamespace("dockerd-kill");
const images: { a?: PushedImage; b?: PushedImage } = {};

beforeAll(async () => {
  if (servicesUp) Object.assign(images, await pushTwoTemplateImages(namespace, RUNTIME));
});

describe.runIf(servicesUp)("a dockerd killed mid-bulk", () => {
  const db = useTestDatabase(availableBackends()[0]!);
  let dockerd: PrivateDockerd;
  beforeAll(async () => {
    dockerd = await startPrivateDockerd();
  }, 90_000);
  afterAll(async () => {
    await dockerd?.destroy();
  });

  it("leaves every workspace running on exactly one of the two images once it is back, and the items say which", async () => {
    const docker = createDockerClient({ dockerHost: dockerd.host });
    const env = dockerTestEnv(namespace, {
      DOCKER_HOST: dockerd.host,
      FLEETPIN_HEALTH_SETTLE_SECONDS: "2",
      FLEETPIN_REPAIR_INTERVAL_SECONDS: "2",
    });
    const pin = (digest: string) =>
      db().runtimeImagePin.upsert({
        where: { templateName: RUNTIME },
        create: { templateName: RUNTIME, digest },
        update: { digest },
      });

    await pin(images.a!.digest);
    const ids: string[] = [];
    for (let i = 0; i < WORKSPACES; i++) {
      const result = await provisionWorkspace(
        { name: `kill-${i}-${randomSuffix()}`, runtime: RUNTIME },
        { db: db(), docker, actor: "test", env, gate: { timeoutSeconds: 30, settleSeconds: 0 } },
      );
      ids.push(result.workspaceId);
    }
    await pin(images.b!.digest);
    const { operationId } = await enqueueReprovision(
      db(),
      { allStale: true, concurrency: 3, reason: "fault test" },
      "test",
      env as NodeJS.ProcessEnv,
    );
    const run = runOperation(operationId, { db: db(), docker, env });

    // Kill the engine once some swap is past stopping its old container.
    await waitFor(
      async () => {
        const rows = await db().workspace.findMany({ where: { id: { in: ids } }, select: { swapState: true } });
        return rows.some((row) =>
          ["creating", "starting", "gating"].includes(readSwapRecord(row.swapState)?.step ?? ""),
        );
      },
      "a swap past its stop",
      120_000,
    );
    await dockerd.kill();
    await run;
    await dockerd.start();

    let lastSeen = "";
    const stopRepair = startRepairLoop({ db: async () => db(), docker: () => docker, env });
    try {
      // Within the repair interval (2 s here) plus dockerd's own restarts, every workspace runs.
      // Docker may still refuse calls right after its restart: such a probe counts as "not yet".
      await waitFor(
        () =>
          (async () => {
            const all = await docker.listManagedContainers();
            lastSeen = JSON.stringify({
              containers: all.map((c) => `${c.name} ${c.status} ${c.statusText}`),
              rows: (await db().workspace.findMany({ where: { id: { in: ids } } })).map((r) => [
                r.name,
                r.status,
                readSwapRecord(r.swapState)?.step ?? null,
                r.lastError,
              ]),
            });
            for (const id of ids) {
              const running = all.filter((c) => c.name.startsWith(containerName(id)) && c.status === "running");
              if (running.length !== 1 || running[0]!.name !== containerName(id)) return false;
            }
            const rows = await db().workspace.findMany({
              where: { id: { in: ids } },
              select: { swapState: true, lockedBy: true, status: true },
            });
            return rows.every((row) => row.swapState === null && row.lockedBy === null && row.status === "online");
          })().catch(() => false),
        "every workspace running on one container",
        180_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; last seen: ${lastSeen}`);
      });
    } finally {
      stopRepair();
    }

    const items = await db().operationItem.findMany({ where: { operationId } });
    expect(items).toHaveLength(WORKSPACES);
    for (const id of ids) {
      const container = await docker.inspectContainer(containerName(id));
      expect(container?.running).toBe(true);
      const onB = container!.image === images.b!.digestRef;
      expect([images.a!.digestRef, images.b!.digestRef]).toContain(container!.image);
      const item = items.find((candidate) => candidate.workspaceId === id)!;
      const row = await db().workspace.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ swapState: null, containerId: container!.id, lockedBy: null });
      if (item.status === "succeeded") expect(onB).toBe(true);
      else {
        expect(item.status).toBe("failed");
        // Either never touched ("still running its old image"), or repaired: the outcome names the image it ended on.
        const says = item.outcome ?? "";
        if (says.includes("repaired")) expect(says).toContain(container!.image);
        else {
          expect(says).toMatch(/still running its old image/);
          expect(onB).toBe(false);
        }
      }
    }
  }, 400_000);
});
