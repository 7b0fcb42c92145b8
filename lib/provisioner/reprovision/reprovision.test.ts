import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ConflictError,
  DockerOperationError,
  DockerUnavailableError,
  NotFoundError,
  ReprovisionFailedError,
  ValidationError,
} from "@/lib/domain/errors";
import {
  containerName,
  LABEL_MANAGED,
  LABEL_TEMPLATE,
  LABEL_WORKSPACE_ID,
  workspaceVolumeName,
} from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  execIn,
  imageRepoDigests,
  inspectRaw,
  pushBrokenImage,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
  workspaceContainers,
} from "@/test/docker";
import { removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { provisionWorkspace } from "./provision";
import { reprovisionWorkspace, type ReprovisionDeps, type ReprovisionProgress } from "./reprovision";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "hermes";
const ACTOR = "alice@example.com";
const namespace = testNamespace("reprovision");
const images: { a?: PushedImage; b?: PushedImage; broken?: PushedImage } = {};

beforeAll(async () => {
  if (!servicesUp) return;
  const suffix = randomSuffix();
  images.a = await pushTemplateImage({ namespace, runtime: RUNTIME, marker: `A-${suffix}` });
  images.b = await pushTemplateImage({ namespace, runtime: RUNTIME, marker: `B-${suffix}` });
  images.broken = await pushBrokenImage(images.a, `broken-${suffix}`);
});

afterAll(async () => {
  for (const image of Object.values(images)) if (image) await removeLocalImage(image.digestRef);
});

describe.runIf(servicesUp).each(availableBackends())("reprovision on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();
  const workspaces: string[] = [];
  const A = () => images.a!;
  const B = () => images.b!;

  afterAll(async () => {
    for (const id of workspaces) await removeWorkspaceArtifacts(id);
  });

  const deps = (extra: Partial<ReprovisionDeps> = {}): ReprovisionDeps => ({
    db: db(),
    docker,
    actor: ACTOR,
    env: dockerTestEnv(namespace),
    stopTimeoutSeconds: 5,
    ...extra,
  });
  const pin = (digest: string) =>
    db().runtimeImagePin.upsert({
      where: { templateName: RUNTIME },
      create: { templateName: RUNTIME, digest },
      update: { digest },
    });
  const row = (id: string) => db().workspace.findUniqueOrThrow({ where: { id } });
  const audits = (id: string) => db().auditLog.findMany({ where: { targetId: id }, orderBy: { id: "asc" } });

  /** A workspace running image A. */
  async function provisionedOnA(label: string) {
    await pin(A().digest);
    const result = await provisionWorkspace({ name: `${label}-${randomSuffix()}`, runtime: RUNTIME }, deps());
    workspaces.push(result.workspaceId);
    return result;
  }

  it("provisions on pin A, then reprovisions onto pin B keeping /workspace, and records both", async () => {
    const progress: ReprovisionProgress[] = [];
    const first = await provisionedOnA("promote");
    const id = first.workspaceId;
    const name = containerName(id);
    expect(first).toMatchObject({ image: A().digestRef, fromDigest: null, toDigest: A().digest, containerName: name });

    // What Docker says runs, not what we asked for.
    const before = await inspectRaw(name);
    expect(before?.Id).toBe(first.containerId);
    expect(before?.Config.Image).toBe(A().digestRef);
    expect(await imageRepoDigests(before!.Image)).toContain(A().digestRef);
    expect(before?.Config.Labels).toMatchObject({
      [LABEL_MANAGED]: "true",
      [LABEL_WORKSPACE_ID]: id,
      [LABEL_TEMPLATE]: RUNTIME,
    });
    expect(before?.Config.Env).toContain(`WORKSPACE_ID=${id}`);
    expect(before?.HostConfig).toMatchObject({ NetworkMode: "none", RestartPolicy: { Name: "unless-stopped" } });
    expect(before?.Mounts).toEqual([
      expect.objectContaining({ Type: "volume", Name: workspaceVolumeName(id), Destination: "/workspace" }),
    ]);
    expect((await execIn(name, ["/bin/busybox", "cat", "/version"])).trim()).toBe(A().tag);
    expect(await row(id)).toMatchObject({
      status: "online",
      runtimeImage: A().digestRef,
      runtimeImageDigest: A().digest,
      containerId: first.containerId,
      containerName: name,
      lastError: null,
      lockedBy: null,
      lockedAt: null,
    });

    await execIn(name, ["sh", "-c", "echo precious > /workspace/keep.txt"]);
    await pin(B().digest);
    const second = await reprovisionWorkspace(id, deps({ reason: "promote B", onProgress: (p) => progress.push(p) }));

    expect(second).toEqual({
      workspaceId: id,
      image: B().digestRef,
      fromDigest: A().digest,
      toDigest: B().digest,
      containerId: expect.any(String),
      containerName: name,
    });
    expect(second.containerId).not.toBe(first.containerId);
    const after = await inspectRaw(name);
    expect(after).toMatchObject({ Id: second.containerId, State: { Running: true }, Config: { Image: B().digestRef } });
    expect(await imageRepoDigests(after!.Image)).toContain(B().digestRef);
    expect((await execIn(name, ["/bin/busybox", "cat", "/version"])).trim()).toBe(B().tag);
    expect((await execIn(name, ["/bin/busybox", "cat", "/workspace/keep.txt"])).trim()).toBe("precious");
    expect(await inspectRaw(first.containerId)).toBeNull(); // the old container is gone, not left aside
    expect((await workspaceContainers(id)).map((c) => c.id)).toEqual([second.containerId]);

    const stored = await row(id);
    expect(stored).toMatchObject({
      status: "online",
      runtimeImage: B().digestRef,
      runtimeImageDigest: B().digest,
      containerId: second.containerId,
      lastError: null,
      lockedBy: null,
    });
    expect(stored.lastProvisionedAt).not.toBeNull();

    const log = await audits(id);
    expect(log.map((entry) => entry.action)).toEqual([
      "workspace.create",
      "workspace.provision",
      "workspace.reprovision",
    ]);
    expect(log[2]).toMatchObject({
      actor: ACTOR,
      reason: "promote B",
      templateName: RUNTIME,
      targetType: "workspace",
      before: { image: A().digestRef, digest: A().digest, containerId: first.containerId },
      after: { image: B().digestRef, digest: B().digest, containerId: second.containerId, source: "pin" },
    });
    // Pull strictly before the old container is stopped.
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(["locked", "resolving", "pulling", "stopping", "starting", "verifying", "recording"]);
  });

  it("leaves the old container running when the pull fails", async () => {
    const { workspaceId: id, containerId } = await provisionedOnA("pullfail");
    const missing = `sha256:${randomSuffix().repeat(8)}`;
    await pin(missing);

    const error = await reprovisionWorkspace(id, deps({ reason: "bad digest" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReprovisionFailedError);
    expect((error as ReprovisionFailedError).workspaceState).toBe("old_running");
    expect((error as Error).cause).toBeInstanceOf(DockerOperationError);
    expect((error as Error).message).toMatch(
      /^pulling the image failed: pull .*@sha256:[a-f0-9]{64} failed: .*(manifest unknown|not found)/,
    );

    const current = await inspectRaw(containerName(id));
    expect(current).toMatchObject({ Id: containerId, State: { Running: true }, Config: { Image: A().digestRef } });
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: "online",
      runtimeImageDigest: A().digest,
      containerId,
      lockedBy: null,
      lockedAt: null,
    });
    expect(stored.lastError).toBe(`${(error as Error).message} — still running its old image`);
    const failed = (await audits(id)).at(-1);
    expect(failed).toMatchObject({
      action: "workspace.reprovision_failed",
      actor: ACTOR,
      reason: "bad digest",
      after: { stage: "pull", status: "online" },
    });

    // The next attempt, with a good pin, works and clears last_error.
    await pin(B().digest);
    await expect(reprovisionWorkspace(id, deps())).resolves.toMatchObject({ toDigest: B().digest });
    expect((await row(id)).lastError).toBeNull();
  });

  it("puts the old container back when the new one cannot start", async () => {
    const { workspaceId: id, containerId } = await provisionedOnA("startfail");
    await execIn(containerName(id), ["sh", "-c", "echo still-here > /workspace/keep.txt"]);
    await pin(images.broken!.digest);

    const error = await reprovisionWorkspace(id, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReprovisionFailedError);
    expect((error as Error).message).toMatch(/^the new container did not come up: .*this-command-does-not-exist/);
    expect((error as ReprovisionFailedError).workspaceState).toBe("old_running");

    expect(await workspaceContainers(id)).toEqual([{ id: containerId, name: containerName(id), state: "running" }]);
    expect((await execIn(containerName(id), ["/bin/busybox", "cat", "/version"])).trim()).toBe(A().tag);
    expect((await execIn(containerName(id), ["/bin/busybox", "cat", "/workspace/keep.txt"])).trim()).toBe("still-here");
    expect(await row(id)).toMatchObject({
      status: "online",
      containerId,
      runtimeImageDigest: A().digest,
      lockedBy: null,
      lastError: `${(error as Error).message} — still running its old image`,
    });
    expect((await audits(id)).at(-1)).toMatchObject({
      action: "workspace.reprovision_failed",
      after: { stage: "replace", restored: true, rollbackErrors: [] },
    });
  });

  it("puts the old container back when creating the new one fails", async () => {
    const { workspaceId: id, containerId } = await provisionedOnA("createfail");
    await pin(B().digest);
    // A wrapper beside the real daemon that fails one create, everything else real.
    const flaky: DockerClient = Object.create(docker);
    flaky.createContainer = async () => {
      throw new DockerOperationError("create container: injected failure");
    };

    await expect(reprovisionWorkspace(id, deps({ docker: flaky }))).rejects.toThrow(
      "create container: injected failure",
    );
    expect(await workspaceContainers(id)).toEqual([{ id: containerId, name: containerName(id), state: "running" }]);
    expect(await row(id)).toMatchObject({
      status: "online",
      containerId,
      runtimeImageDigest: A().digest,
      lockedBy: null,
      lastError: "the new container did not come up: create container: injected failure — still running its old image",
    });
  });

  it("refuses a second reprovision of a workspace while one is running", async () => {
    const { workspaceId: id } = await provisionedOnA("concurrent");
    await pin(B().digest);
    const name = (await row(id)).name;

    const results = await Promise.allSettled([reprovisionWorkspace(id, deps()), reprovisionWorkspace(id, deps())]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConflictError);
    expect(rejected[0]!.reason.message).toMatch(new RegExp(`^a reprovision of ${name} is already running`));
    expect(await workspaceContainers(id)).toHaveLength(1);
    expect((await audits(id)).filter((a) => a.action.startsWith("workspace.reprovision"))).toHaveLength(1);
  });

  it("takes over a lock left by a run that died", async () => {
    const { workspaceId: id } = await provisionedOnA("stale");
    await db().workspace.update({
      where: { id },
      data: { lockedBy: "dead-run", lockedAt: new Date(Date.now() - 31 * 60_000), status: "provisioning" },
    });
    await pin(B().digest);
    await expect(reprovisionWorkspace(id, deps())).resolves.toMatchObject({ toDigest: B().digest });
    expect(await row(id)).toMatchObject({ lockedBy: null, status: "online" });

    await db().workspace.update({ where: { id }, data: { lockedBy: "live-run", lockedAt: new Date() } });
    await expect(reprovisionWorkspace(id, deps())).rejects.toBeInstanceOf(ConflictError);
    await db().workspace.update({ where: { id }, data: { lockedBy: null, lockedAt: null } });
  });

  it("recovers a workspace whose last run died after renaming the old container aside", async () => {
    const { workspaceId: id, containerId } = await provisionedOnA("crash");
    await docker.stopContainer(containerId, { timeoutSeconds: 5 });
    await docker.renameContainer(containerId, `${containerName(id)}-prev-1`);
    await pin(B().digest);

    const result = await reprovisionWorkspace(id, deps());
    expect(await workspaceContainers(id)).toEqual([
      { id: result.containerId, name: containerName(id), state: "running" },
    ]);
  });

  it("records an unreachable daemon as a failure and leaves the row as it was", async () => {
    await pin(A().digest);
    const ws = await db().workspace.create({
      data: {
        name: "nodocker",
        runtime: RUNTIME,
        status: "online",
        containerId: "c".repeat(64),
        runtimeImageDigest: A().digest,
      },
    });
    const socket = `/tmp/fleetpin-no-docker-${randomSuffix()}.sock`;
    const error = await reprovisionWorkspace(
      ws.id,
      deps({ docker: createDockerClient({ dockerHost: `unix://${socket}` }) }),
    ).catch((e: unknown) => e);

    expect((error as Error).cause).toBeInstanceOf(DockerUnavailableError);
    expect(await row(ws.id)).toMatchObject({
      status: "online",
      containerId: "c".repeat(64),
      lockedBy: null,
      lastError: expect.stringMatching(
        new RegExp(`^pulling the image failed: Docker is not reachable at unix://${socket}: the socket does not exist`),
      ),
    });
    expect((await audits(ws.id)).at(-1)).toMatchObject({
      action: "workspace.reprovision_failed",
      after: { stage: "pull" },
    });
  });

  it("refuses unknown, removed and invalid workspaces before touching Docker", async () => {
    await expect(reprovisionWorkspace("00000000-0000-4000-8000-000000000000", deps())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const removed = await db().workspace.create({ data: { name: "gone", runtime: RUNTIME, status: "removed" } });
    await expect(reprovisionWorkspace(removed.id, deps())).rejects.toThrow(/was removed/);

    const invalid = await provisionWorkspace({ id: "nope", name: " ", runtime: "no-such-runtime" }, deps()).catch(
      (e: unknown) => e,
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(Object.keys((invalid as ValidationError).fieldErrors).sort()).toEqual(["id", "name", "runtime"]);
  });

  it("provisions a new id only once when asked twice at the same time", async () => {
    await pin(A().digest);
    const id = crypto.randomUUID();
    workspaces.push(id);
    const results = await Promise.allSettled([
      provisionWorkspace({ id, name: "twice", runtime: RUNTIME }, deps()),
      provisionWorkspace({ id, name: "twice", runtime: RUNTIME }, deps()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect(await workspaceContainers(id)).toHaveLength(1);
  });

  it("marks a new workspace failed when its first container cannot be pulled", async () => {
    await pin(`sha256:${"f".repeat(64)}`);
    const id = crypto.randomUUID();
    workspaces.push(id);
    await expect(provisionWorkspace({ id, name: "never", runtime: RUNTIME }, deps())).rejects.toMatchObject({
      workspaceState: "no_container",
      message: expect.stringMatching(/^pulling the image failed: /),
    });
    expect(await row(id)).toMatchObject({
      status: "failed",
      containerId: null,
      lockedBy: null,
      lastError: expect.stringMatching(/^pulling the image failed: pull /),
    });
    expect((await audits(id)).map((a) => a.action)).toEqual(["workspace.create", "workspace.provision_failed"]);
  });
});
