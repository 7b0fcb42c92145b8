// Live state on the real test dockerd: containers changed behind Fleetpin's back show up in the
// database through the event stream alone (the periodic reconcile is set to an hour).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { WorkspaceStatus } from "@/lib/generated/prisma/enums";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { MISSING_CONTAINER_ERROR, syncFromDocker } from "@/lib/provisioner/sync/sync";
import type { SyncDeps } from "@/lib/provisioner/sync/types";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, removeLocalImage, TEST_IMAGE_CMD, type PushedImage } from "@/test/images";
import {
  createPlatformContainer,
  removePlatformContainer,
  type PlatformContainer,
  type PlatformContainerOptions,
} from "@/test/platform-containers";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { startLiveState, type LiveState } from "./live-state";

const servicesUp = dockerServicesAvailable();
const HOUR_MS = 3_600_000;
let image: PushedImage | undefined;
const made: PlatformContainer[] = [];

beforeAll(async () => {
  if (!servicesUp) return;
  image = await pushTemplateImage({
    namespace: testNamespace("live"),
    runtime: "langgraph",
    marker: `live-${randomSuffix()}`,
    keepLocal: true,
  });
});
afterAll(async () => {
  for (const container of made) await removePlatformContainer(container);
  if (image) for (const ref of [image.ref, image.digestRef]) await removeLocalImage(ref);
});

async function platform(options: Partial<PlatformContainerOptions> = {}): Promise<PlatformContainer> {
  const container = await createPlatformContainer({
    image: image!.ref,
    runtime: "langgraph",
    tier: 2,
    cmd: TEST_IMAGE_CMD,
    ...options,
  });
  made.push(container);
  return container;
}

describe.runIf(servicesUp).each(availableBackends())("live state on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();
  let liveState: LiveState | undefined;
  let syncRuns = 0;
  const counted = (deps: SyncDeps) => (syncRuns++, syncFromDocker(deps));
  afterAll(async () => liveState?.stop());

  const status = async (id: string) => (await db().workspace.findUnique({ where: { id } }))?.status ?? null;
  const untilStatus = (id: string, wanted: WorkspaceStatus) =>
    waitFor(async () => (await status(id)) === wanted, `workspace ${id} to be ${wanted}`);

  it("adopts on connect, then follows kill, restart, unhealthy and removal without a sync", async () => {
    const container = await platform();
    const sick = await platform({
      healthcheck: { Test: ["CMD", "/bin/busybox", "false"], Interval: 1e9, Timeout: 1e9, Retries: 1 },
    });
    liveState = startLiveState({ db: db(), docker, reconcileIntervalMs: HOUR_MS, sync: counted, log: () => undefined });

    await untilStatus(container.workspaceId, "online"); // the reconcile after connecting adopted it
    await dockerCli(["kill", container.id]);
    await untilStatus(container.workspaceId, "down");
    await dockerCli(["start", container.id]);
    await untilStatus(container.workspaceId, "online");
    await untilStatus(sick.workspaceId, "degraded");

    await dockerCli(["rm", "-f", container.id]);
    const row = () => db().workspace.findUnique({ where: { id: container.workspaceId } });
    await waitFor(async () => (await row())?.containerId === null, "the removed container to be noticed");
    expect(await db().workspace.findUnique({ where: { id: container.workspaceId } })).toMatchObject({
      containerId: null,
      lastError: MISSING_CONTAINER_ERROR,
    });

    // Live state wrote these (the periodic run is an hour away; the test never syncs), each with an
    // audit row. Which path wrote which change is not fixed: an event for an unknown container
    // (another test file's) triggers a full reconcile that may get there first.
    const audits = await db().auditLog.findMany({
      where: { action: "workspace.live_state", targetId: container.workspaceId },
    });
    for (const audit of audits)
      expect(audit).toMatchObject({
        actor: "system:live-state",
        reason: expect.stringMatching(/^docker event (kill|die|stop|start|restart|destroy|health_status)/),
      });
    expect(syncRuns).toBeGreaterThan(0); // the reconcile after connecting
  });

  it("leaves a workspace stopped on purpose, and one locked by a reprovision, alone", async () => {
    const hibernated = await platform();
    const locked = await platform();
    await syncFromDocker({ db: db(), docker, actor: "test" });
    // Stopped first, then hibernated (as the platform does): a running container makes its row online again.
    await dockerCli(["stop", "-t", "1", hibernated.id]);
    await db().workspace.update({ where: { id: hibernated.workspaceId }, data: { status: "hibernated" } });
    await db().workspace.update({
      where: { id: locked.workspaceId },
      data: { status: "provisioning", lockedBy: "op-1", lockedAt: new Date() },
    });
    await dockerCli(["kill", locked.id]);
    // A marker container whose state change proves the events of the two above were handled.
    const marker = await platform();
    await untilStatus(marker.workspaceId, "online");
    await liveState!.reconcileNow();

    expect(await status(hibernated.workspaceId)).toBe("hibernated");
    expect(await db().workspace.findUnique({ where: { id: locked.workspaceId } })).toMatchObject({
      status: "provisioning",
      lockedBy: "op-1",
    });
  });
});
