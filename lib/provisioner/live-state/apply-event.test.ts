// One event applied to its row, against real containers on the test dockerd. The events are
// built by the test (input data, as the stream would deliver them); the containers are real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerEvent } from "@/lib/provisioner/docker/event-types";
import { MISSING_CONTAINER_ERROR, syncFromDocker } from "@/lib/provisioner/sync/sync";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, removeLocalImage, TEST_IMAGE_CMD, type PushedImage } from "@/test/images";
import { createPlatformContainer, removePlatformContainer, type PlatformContainer } from "@/test/platform-containers";
import { useTestDatabase } from "@/test/use-test-database";

import { applyContainerEvent } from "./apply-event";

const servicesUp = dockerServicesAvailable();
const ACTOR = "system:live-state";
let image: PushedImage | undefined;
const made: PlatformContainer[] = [];

beforeAll(async () => {
  if (!servicesUp) return;
  image = await pushTemplateImage({
    namespace: testNamespace("event"),
    runtime: "hermes",
    marker: `event-${randomSuffix()}`,
    keepLocal: true,
  });
});
afterAll(async () => {
  for (const container of made) await removePlatformContainer(container);
  if (image) for (const ref of [image.ref, image.digestRef]) await removeLocalImage(ref);
});

const event = (id: string, action: string): DockerEvent => ({
  type: "container",
  action,
  id,
  attributes: {},
  timeNano: 0,
});

describe.runIf(servicesUp).each(availableBackends())("applyContainerEvent on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();

  async function adopted(): Promise<PlatformContainer> {
    const container = await createPlatformContainer({ image: image!.ref, runtime: "hermes", cmd: TEST_IMAGE_CMD });
    made.push(container);
    await syncFromDocker({ db: db(), docker, actor: "test" });
    return container;
  }

  it("writes the recorded container's new state with an audit row, and nothing when nothing changed", async () => {
    const container = await adopted();
    expect(await applyContainerEvent(db(), docker, event(container.id, "start"), { actor: ACTOR })).toBe("unchanged");

    await dockerCli(["kill", container.id]);
    expect(await applyContainerEvent(db(), docker, event(container.id, "die"), { actor: ACTOR })).toBe("updated");
    expect(await db().workspace.findUnique({ where: { id: container.workspaceId } })).toMatchObject({
      status: "down",
      containerId: container.id,
    });
    expect(
      await db().auditLog.findFirst({ where: { action: "workspace.live_state", targetId: container.workspaceId } }),
    ).toMatchObject({
      actor: ACTOR,
      reason: "docker event die",
      before: { status: "online", containerId: container.id },
      after: { status: "down" },
    });

    await dockerCli(["rm", "-f", container.id]);
    expect(await applyContainerEvent(db(), docker, event(container.id, "destroy"), { actor: ACTOR })).toBe("updated");
    expect(await db().workspace.findUnique({ where: { id: container.workspaceId } })).toMatchObject({
      status: "down",
      containerId: null,
      lastError: MISSING_CONTAINER_ERROR,
    });
    // The row no longer records it: a repeated destroy is nothing to do.
    expect(await applyContainerEvent(db(), docker, event(container.id, "destroy"), { actor: ACTOR })).toBe("unchanged");
  });

  it("leaves a container no row records to the full reconcile, and a locked row to its reprovision", async () => {
    const stranger = await createPlatformContainer({ image: image!.ref, runtime: "hermes", cmd: TEST_IMAGE_CMD });
    made.push(stranger);
    expect(await applyContainerEvent(db(), docker, event(stranger.id, "start"), { actor: ACTOR })).toBe(
      "needs-reconcile",
    );

    const locked = await adopted();
    await db().workspace.update({
      where: { id: locked.workspaceId },
      data: { status: "provisioning", lockedBy: "op-1", lockedAt: new Date() },
    });
    await dockerCli(["kill", locked.id]);
    expect(await applyContainerEvent(db(), docker, event(locked.id, "die"), { actor: ACTOR })).toBe("unchanged");
    expect(await db().workspace.findUnique({ where: { id: locked.workspaceId } })).toMatchObject({
      status: "provisioning",
      lockedBy: "op-1",
    });
  });
});
