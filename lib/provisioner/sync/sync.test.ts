import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { containerName, LABEL_MANAGED, LABEL_WORKSPACE_ID, workspaceLabels } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { dockerCli, removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { MISSING_CONTAINER_ERROR, statusFromContainer, syncFromDocker } from "./sync";

const servicesUp = dockerServicesAvailable();
const ACTOR = "ops@example.com";
const namespace = testNamespace("sync");
let image: PushedImage | undefined;

beforeAll(async () => {
  if (!servicesUp) return;
  // Kept local: these containers are created "outside Fleetpin", from the tag, as an operator would.
  image = await pushTemplateImage({ namespace, runtime: "hermes", marker: `sync-${randomSuffix()}`, keepLocal: true });
});
afterAll(async () => {
  if (image) {
    await removeLocalImage(image.ref);
    await removeLocalImage(image.digestRef);
  }
});

describe("statusFromContainer", () => {
  it.each([
    ["running", "online"],
    ["exited", "down"],
    ["created", "down"],
    ["dead", "down"],
    ["removing", "down"],
    ["paused", "paused"],
    ["restarting", "degraded"],
  ] as const)("%s → %s", (state, status) => {
    expect(statusFromContainer(state)).toBe(status);
  });
  it("running but unhealthy → degraded", () => {
    expect(statusFromContainer("running", true)).toBe("degraded");
  });
});

describe.runIf(servicesUp).each(availableBackends())("syncFromDocker on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();
  const cleanup: string[] = [];
  const strays: string[] = [];

  afterAll(async () => {
    for (const id of cleanup) await removeWorkspaceArtifacts(id);
    for (const id of strays) await dockerCli(["rm", "-f", id]).catch(() => undefined);
  });

  /** A container made by hand (docker run), the way a platform outside Fleetpin would. */
  async function outsideContainer(
    labels: Record<string, string>,
    options: { name: string; running?: boolean },
  ): Promise<string> {
    const labelArgs = Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
    const args = ["--network", "none", "--name", options.name, ...labelArgs, image!.ref];
    const id = (await dockerCli(options.running === false ? ["create", ...args] : ["run", "-d", ...args])).trim();
    return id;
  }

  it("adopts labelled containers, follows their state, marks rows whose container is gone, and audits once", async () => {
    const runningId = randomUUID();
    const stoppedId = randomUUID();
    cleanup.push(runningId, stoppedId);
    const running = await outsideContainer(workspaceLabels(runningId, "hermes"), { name: containerName(runningId) });
    const stopped = await outsideContainer(workspaceLabels(stoppedId, "hermes"), {
      name: containerName(stoppedId),
      running: false,
    });

    // A row whose container was removed behind Fleetpin's back, and two rows sync must not touch.
    const goneContainer = (
      await dockerCli(["create", "--network", "none", "--label", `${LABEL_MANAGED}=true`, image!.ref])
    ).trim();
    await dockerCli(["rm", goneContainer]);
    const gone = await db().workspace.create({
      data: { name: "gone", runtime: "hermes", status: "online", containerId: goneContainer, containerName: "ws-gone" },
    });
    const removed = await db().workspace.create({
      data: { name: "removed", runtime: "hermes", status: "removed", containerId: goneContainer },
    });
    const locked = await db().workspace.create({
      data: {
        name: "locked",
        runtime: "hermes",
        status: "provisioning",
        containerId: goneContainer,
        lockedBy: "op-1",
        lockedAt: new Date(),
      },
    });
    // One bad container must not stop the others.
    const bad = await outsideContainer(
      { [LABEL_MANAGED]: "true", [LABEL_WORKSPACE_ID]: "not-a-uuid" },
      { name: `fleetpin-test-bad-${randomSuffix()}`, running: false },
    );
    strays.push(bad);

    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });

    expect(result.adopted).toEqual(expect.arrayContaining([runningId, stoppedId]));
    expect(result.missing).toContain(gone.id);
    expect(result.missing).not.toContain(removed.id);
    expect(result.missing).not.toContain(locked.id);
    expect(result.skipped).toContainEqual(
      expect.objectContaining({
        containerId: bad,
        reason: `identity unreadable: label ${LABEL_WORKSPACE_ID}="not-a-uuid" is not a UUID`,
      }),
    );
    expect(result.skipped).toContainEqual(expect.objectContaining({ workspaceId: locked.id }));

    expect(await db().workspace.findUnique({ where: { id: runningId } })).toMatchObject({
      name: containerName(runningId),
      runtime: "hermes",
      status: "online",
      containerId: running,
      containerName: containerName(runningId),
      runtimeImage: image!.ref, // Config.Image: the tag it was created from
      runtimeImageDigest: image!.digest, // what it really runs, read from RepoDigests
      lockedBy: null,
    });
    expect(await db().workspace.findUnique({ where: { id: stoppedId } })).toMatchObject({
      status: "down",
      containerId: stopped,
    });
    expect(await db().workspace.findUnique({ where: { id: gone.id } })).toMatchObject({
      status: "down",
      containerId: null,
      lastError: MISSING_CONTAINER_ERROR,
    });
    expect(await db().workspace.findUnique({ where: { id: removed.id } })).toMatchObject({
      status: "removed",
      containerId: goneContainer,
    });
    expect(await db().workspace.findUnique({ where: { id: locked.id } })).toMatchObject({
      status: "provisioning",
      containerId: goneContainer,
      lockedBy: "op-1",
    });

    const audit = await db().auditLog.findMany({ where: { action: "workspace.sync" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: ACTOR,
      targetType: "workspace",
      after: { adopted: result.adopted.length, missing: result.missing.length, errors: result.errors.length },
    });

    // State changes are picked up; an unchanged fleet writes nothing but the audit row.
    await docker.stopContainer(running, { timeoutSeconds: 5 });
    const again = await syncFromDocker({ db: db(), docker, actor: ACTOR });
    expect(again.adopted).not.toContain(runningId);
    expect(again.updated).toContain(runningId);
    expect(again.updated).not.toContain(stoppedId);
    expect(again.missing).not.toContain(gone.id);
    expect(await db().workspace.findUnique({ where: { id: runningId } })).toMatchObject({ status: "down" });
  });

  it("keeps a row on its current container when an older one of the same workspace is lying around", async () => {
    const id = randomUUID();
    cleanup.push(id);
    const current = await outsideContainer(workspaceLabels(id, "hermes"), { name: containerName(id) });
    await outsideContainer(workspaceLabels(id, "hermes"), { name: `${containerName(id)}-prev-1`, running: false });

    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });
    expect(result.adopted).toContain(id);
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ workspaceId: id, containerName: `${containerName(id)}-prev-1` }),
    );
    expect(await db().workspace.findUnique({ where: { id } })).toMatchObject({
      containerId: current,
      status: "online",
    });
  });

  it("matches an unlabelled seed container to its row by container ID", async () => {
    const row = await db().workspace.create({ data: { name: "seed", runtime: "hermes", status: "offline" } });
    cleanup.push(row.id);
    const seed = await outsideContainer({ [LABEL_MANAGED]: "true" }, { name: containerName(row.id) });
    strays.push(seed); // no workspace label: removeWorkspaceArtifacts would not find it
    await db().workspace.update({ where: { id: row.id }, data: { containerId: seed } });

    const result = await syncFromDocker({ db: db(), docker, actor: ACTOR });
    expect(result.updated).toContain(row.id);
    expect(await db().workspace.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "online",
      runtimeImageDigest: image!.digest,
    });
  });

  it("collects a container whose inspection fails instead of aborting", async () => {
    const id = randomUUID();
    cleanup.push(id);
    await outsideContainer(workspaceLabels(id, "hermes"), { name: containerName(id) });
    // A wrapper beside the real daemon: one container's inspection fails, the rest are real.
    const flaky: DockerClient = Object.create(docker);
    const victim = (await docker.listManagedContainers()).find((c) => c.labels[LABEL_WORKSPACE_ID] === id)!;
    flaky.inspectContainer = async (nameOrId) => {
      if (nameOrId === victim.id) throw new Error("injected inspect failure");
      return docker.inspectContainer(nameOrId);
    };
    const other = randomUUID();
    cleanup.push(other);
    await outsideContainer(workspaceLabels(other, "hermes"), { name: containerName(other) });

    const result = await syncFromDocker({ db: db(), docker: flaky, actor: ACTOR });
    expect(result.errors).toContainEqual(
      expect.objectContaining({ containerId: victim.id, workspaceId: id, message: "injected inspect failure" }),
    );
    expect(result.adopted).toContain(other);
    expect(result.adopted).not.toContain(id);
  });
});
