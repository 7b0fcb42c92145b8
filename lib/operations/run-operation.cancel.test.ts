// Fault: an operator cancels a bulk run while old containers that ignore SIGTERM use their whole
// stop timeout. The runs already stopping finish (or roll back), the rest are cancelled
// untouched, and no workspace is left down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { readSwapRecord } from "@/lib/db/swap-journal";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  pushDerivedImage,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
  workspaceContainers,
} from "@/test/docker";
import { removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { runOperation } from "./run-operation";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "gemini-cli";
const namespace = testNamespace("cancel");
const images: { slow?: PushedImage; b?: PushedImage } = {};

beforeAll(async () => {
  if (!servicesUp) return;
  const suffix = randomSuffix();
  const base = await pushTemplateImage({ namespace, runtime: RUNTIME, marker: `base-${suffix}`, keepLocal: true });
  // PID 1 ignores SIGTERM: `docker stop` waits the whole timeout, then kills it.
  images.slow = await pushDerivedImage(base, `slow-${suffix}`, [
    `CMD ["/bin/busybox", "sh", "-c", "trap '' TERM; while true; do /bin/busybox sleep 1; done"]`,
  ]);
  images.b = await pushTemplateImage({ namespace, runtime: RUNTIME, marker: `B-${suffix}` });
  await removeLocalImage(base.digestRef);
}, 120_000);

describe.runIf(servicesUp)("cancel during a long stop", () => {
  const db = useTestDatabase(availableBackends()[0]!);
  const ids: string[] = [];
  afterAll(async () => {
    for (const id of ids) await removeWorkspaceArtifacts(id);
  });

  it("finishes what is stopping, cancels the rest untouched, and leaves no workspace down", async () => {
    const docker = createDockerClient();
    const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "6", FLEETPIN_HEALTH_SETTLE_SECONDS: "0" });
    const pin = (digest: string) =>
      db().runtimeImagePin.upsert({
        where: { templateName: RUNTIME },
        create: { templateName: RUNTIME, digest },
        update: { digest },
      });
    await pin(images.slow!.digest);
    const before = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const result = await provisionWorkspace(
        { name: `cancel-${i}-${randomSuffix()}`, runtime: RUNTIME },
        { db: db(), docker, actor: "test", env },
      );
      ids.push(result.workspaceId);
      before.set(result.workspaceId, result.containerId);
    }
    await pin(images.b!.digest);
    const { operationId } = await enqueueReprovision(
      db(),
      { allStale: true, concurrency: 1, reason: "cancel test" },
      "test",
      env as NodeJS.ProcessEnv,
    );
    const run = runOperation(operationId, { db: db(), docker, env });

    // Cancel while the first old container is waiting out its stop timeout.
    await waitFor(async () => {
      const rows = await db().workspace.findMany({ where: { id: { in: ids } }, select: { swapState: true } });
      return rows.some((row) => readSwapRecord(row.swapState)?.step === "stopping");
    }, "an old container waiting out its stop timeout");
    await cancelOperation(db(), operationId, "canceller@example.com");
    expect(await run).toBe("cancelled");

    const items = await db().operationItem.findMany({ where: { operationId } });
    const started = items.filter((item) => item.status !== "cancelled");
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(items.filter((item) => item.status === "cancelled").length).toBeGreaterThanOrEqual(1);
    for (const id of ids) {
      const containers = (await workspaceContainers(id)).filter((c) => c.state === "running");
      expect(containers).toHaveLength(1);
      expect(containers[0]!.name).toBe(containerName(id));
      const item = items.find((candidate) => candidate.workspaceId === id)!;
      // Not started because of the cancel: its container was never touched.
      if (item.status === "cancelled") expect(containers[0]!.id).toBe(before.get(id));
      if (item.status === "succeeded")
        expect((await docker.inspectContainer(containers[0]!.id))?.image).toBe(images.b!.digestRef);
    }
    const operation = await db().operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(operation).toMatchObject({ status: "cancelled", cancelledBy: "canceller@example.com" });
    expect(await db().workspace.count({ where: { id: { in: ids }, status: { not: "online" } } })).toBe(0);
  }, 300_000);
});
