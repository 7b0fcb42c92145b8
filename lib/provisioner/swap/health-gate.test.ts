// The health gate on the real dockerd: a new container must prove itself before the old one
// is let go. Images that crash 2 s after start, or whose healthcheck fails, leave the workspace
// on its old container, under its name, with its data, and the failure says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ReprovisionFailedError } from "@/lib/domain/errors";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { reprovisionWorkspace, type ReprovisionDeps } from "@/lib/provisioner/reprovision/reprovision";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  execIn,
  pushDerivedImage,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
  workspaceContainers,
} from "@/test/docker";
import { removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { HealthGateError } from "./health-gate";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "crewai";
const namespace = testNamespace("gate");
const images: Record<string, PushedImage> = {};

beforeAll(async () => {
  if (!servicesUp) return;
  const suffix = randomSuffix();
  images.good = await pushTemplateImage({ namespace, runtime: RUNTIME, marker: `good-${suffix}`, keepLocal: true });
  images.crashing = await pushDerivedImage(images.good, `crash-${suffix}`, [
    `CMD ["/bin/busybox", "sh", "-c", "echo starting up; /bin/busybox sleep 2; echo 'fatal: config missing' >&2; exit 3"]`,
  ]);
  images.unhealthy = await pushDerivedImage(images.good, `unhealthy-${suffix}`, [
    `HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["/bin/busybox", "false"]`,
  ]);
  images.healthy = await pushDerivedImage(images.good, `healthy-${suffix}`, [
    `HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["/bin/busybox", "true"]`,
  ]);
  await removeLocalImage(images.good.digestRef);
}, 180_000);

afterAll(async () => {
  for (const image of Object.values(images)) await removeLocalImage(image.digestRef);
});

// The gate does not touch the database; one backend is enough here (reprovision.test.ts runs both).
describe.runIf(servicesUp)("health gate", () => {
  const db = useTestDatabase(availableBackends()[0]!);
  const docker = createDockerClient();
  const workspaces: string[] = [];
  afterAll(async () => {
    for (const id of workspaces) await removeWorkspaceArtifacts(id);
  });

  const deps = (gate = { timeoutSeconds: 60, settleSeconds: 5 }): ReprovisionDeps => ({
    db: db(),
    docker,
    actor: "gate@example.com",
    env: dockerTestEnv(namespace),
    stopTimeoutSeconds: 5,
    gate,
  });
  const pin = (digest: string) =>
    db().runtimeImagePin.upsert({
      where: { templateName: RUNTIME },
      create: { templateName: RUNTIME, digest },
      update: { digest },
    });

  async function workspaceOnGoodImage(label: string) {
    await pin(images.good!.digest);
    const result = await provisionWorkspace(
      { name: `${label}-${randomSuffix()}`, runtime: RUNTIME },
      deps({ timeoutSeconds: 60, settleSeconds: 0 }),
    );
    workspaces.push(result.workspaceId);
    await execIn(containerName(result.workspaceId), ["sh", "-c", "echo precious > /workspace/marker.txt"]);
    return result;
  }

  async function expectOldContainerBack(id: string, containerId: string) {
    expect(await workspaceContainers(id)).toEqual([{ id: containerId, name: containerName(id), state: "running" }]);
    expect((await execIn(containerName(id), ["/bin/busybox", "cat", "/workspace/marker.txt"])).trim()).toBe("precious");
    expect(await db().workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "online",
      containerId,
      swapState: null,
      lockedBy: null,
    });
  }

  it("fails a container that exits 2 s after start, with its exit and last log lines, and puts the old one back", async () => {
    const { workspaceId: id, containerId } = await workspaceOnGoodImage("crash");
    await pin(images.crashing!.digest);

    const error = await reprovisionWorkspace(id, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReprovisionFailedError);
    expect((error as Error).cause).toBeInstanceOf(HealthGateError);
    // Docker's restart policy may have restarted it already, or it may be seen between exit and restart.
    expect((error as Error).message).toMatch(
      /failed its health gate: it (is (exited|restarting) right after start \(exit code 3\)|exited and was restarted by its restart policy)/,
    );
    expect((error as Error).message).toContain("fatal: config missing");
    expect((error as ReprovisionFailedError).workspaceState).toBe("old_running");
    await expectOldContainerBack(id, containerId);
  });

  it("fails a container whose healthcheck reports unhealthy, and puts the old one back", async () => {
    const { workspaceId: id, containerId } = await workspaceOnGoodImage("unhealthy");
    await pin(images.unhealthy!.digest);

    const error = await reprovisionWorkspace(id, deps()).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(HealthGateError);
    expect((error as Error).message).toMatch(/failed its health gate: its healthcheck reports unhealthy/);
    await expectOldContainerBack(id, containerId);
  });

  it("waits for healthy when the image has a healthcheck, then lets the old container go", async () => {
    const { workspaceId: id } = await workspaceOnGoodImage("healthy");
    await pin(images.healthy!.digest);

    const result = await reprovisionWorkspace(id, deps({ timeoutSeconds: 60, settleSeconds: 0 }));
    const [container] = await workspaceContainers(id);
    expect(container).toMatchObject({ id: result.containerId, name: containerName(id), state: "running" });
    expect((await docker.inspectContainer(result.containerId))?.health).toBe("healthy");
    expect((await execIn(containerName(id), ["/bin/busybox", "cat", "/workspace/marker.txt"])).trim()).toBe("precious");
  });
});
