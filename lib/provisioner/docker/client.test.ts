import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DockerOperationError, DockerUnavailableError } from "@/lib/domain/errors";
import { LABEL_MANAGED } from "@/lib/provisioner/containers/naming";
import { specToCreateRequest, type ContainerSpec } from "@/lib/provisioner/containers/workspace-spec";
import {
  deleteRegistryBlob,
  dockerServicesAvailable,
  manifestLayers,
  pushTemplateImage,
  randomSuffix,
  testNamespace,
} from "@/test/docker";
import { dockerCli, removeLocalImage, type PushedImage } from "@/test/images";
import { freePort } from "@/test/registries";

import { createDockerClient, dockerConnection } from "./client";
import type { PullProgress } from "./pull-progress";
import type { DockerClient } from "./types";

describe("dockerConnection", () => {
  it.each([
    [{ env: {} }, "unix:///var/run/docker.sock"],
    [{ env: { DOCKER_HOST: "unix:///tmp/d.sock" } }, "unix:///tmp/d.sock"],
    [{ env: { DOCKER_HOST: "unix://" } }, "unix:///var/run/docker.sock"],
    [{ env: { DOCKER_HOST: "tcp://10.0.0.5:2375" } }, "tcp://10.0.0.5:2375"],
    [{ env: { DOCKER_HOST: "10.0.0.5:2375" } }, "tcp://10.0.0.5:2375"],
    [{ env: { DOCKER_HOST: "tcp://docker.internal:2376" } }, "https://docker.internal:2376"],
    [{ env: { DOCKER_HOST: "tcp://h:2375", DOCKER_TLS_VERIFY: "1" } }, "https://h:2375"],
    [{ dockerHost: "unix:///x.sock", env: { DOCKER_HOST: "tcp://h:1" } }, "unix:///x.sock"],
    [{ socketPath: "/s.sock", env: { DOCKER_HOST: "tcp://h:1" } }, "unix:///s.sock"],
  ])("%j connects to %s", (options, endpoint) => {
    expect(dockerConnection(options).endpoint).toBe(endpoint);
  });

  it("never lets a tcp DOCKER_HOST in process.env override an explicit socket", () => {
    const { modem } = dockerConnection({ socketPath: "/s.sock" });
    expect(modem).toMatchObject({ socketPath: "/s.sock", host: undefined });
  });

  it.each(["ssh://user@host", "npipe:////./pipe/docker_engine", "tcp://exa mple:1"])(
    "refuses %s with a clear message",
    (host) => {
      expect(() => dockerConnection({ dockerHost: host })).toThrow(DockerUnavailableError);
    },
  );
});

describe("an unreachable daemon", () => {
  it("is DockerUnavailableError naming the socket when the socket does not exist", async () => {
    const socket = `/tmp/fleetpin-no-such-docker-${randomSuffix()}.sock`;
    const docker = createDockerClient({ dockerHost: `unix://${socket}` });
    const error = await docker.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toBe(
      `Docker is not reachable at unix://${socket}: the socket does not exist (connect ENOENT ${socket})`,
    );
  });

  it("is DockerUnavailableError for a refused TCP connection, on every method", async () => {
    const port = await freePort();
    const docker = createDockerClient({ dockerHost: `tcp://127.0.0.1:${port}` });
    for (const call of [
      () => docker.listManagedContainers(),
      () => docker.inspectContainer("x"),
      () => docker.pullImage("busybox"),
    ]) {
      await expect(call()).rejects.toThrow(
        new RegExp(`^Docker is not reachable at tcp://127\\.0\\.0\\.1:${port}: connection refused`),
      );
      await expect(call()).rejects.toBeInstanceOf(DockerUnavailableError);
    }
  });
});

const servicesUp = dockerServicesAvailable();

describe.runIf(servicesUp)("DockerClient against the test daemon", () => {
  const docker: DockerClient = createDockerClient();
  const namespace = testNamespace("docker");
  const suffix = randomSuffix();
  let image: PushedImage;
  const containers: string[] = [];
  const volumes: string[] = [];

  beforeAll(async () => {
    image = await pushTemplateImage({ namespace, runtime: "hermes", marker: `docker-${suffix}` });
  });

  afterAll(async () => {
    for (const id of containers) await dockerCli(["rm", "-f", id]).catch(() => undefined);
    for (const name of volumes) await dockerCli(["volume", "rm", "-f", name]).catch(() => undefined);
    if (image) await removeLocalImage(image.digestRef);
  });

  const spec = (name: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
    name,
    image: image.digestRef,
    labels: { [LABEL_MANAGED]: "true", "fleetpin.test": suffix },
    env: ["WORKSPACE_ID=test"],
    mounts: [],
    restartPolicy: "unless-stopped",
    networkMode: "none",
    ...overrides,
  });

  it("pings", async () => {
    await expect(docker.ping()).resolves.toBeUndefined();
  });

  it("pulls by digest with progress up to 100% and then sees the image", async () => {
    await removeLocalImage(image.digestRef);
    expect(await docker.imageExists(image.digestRef)).toBe(false);
    expect(await docker.inspectImage(image.digestRef)).toBeNull();

    const events: PullProgress[] = [];
    const result = await docker.pullImage(image.digestRef, {
      platform: "linux/amd64",
      onProgress: (p) => events.push(p),
    });

    expect(result).toEqual({ ref: image.digestRef, digest: image.digest, upToDate: false });
    expect(events.at(-1)?.percent).toBe(100);
    expect(events.some((p) => p.percent !== null && p.percent > 0 && p.percent < 100)).toBe(true);
    const inspected = await docker.inspectImage(image.digestRef);
    expect(inspected?.repoDigests).toContain(image.digestRef);
    expect(inspected?.id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await docker.imageExists(image.digestRef)).toBe(true);

    // Pulling again downloads nothing.
    await expect(docker.pullImage(image.digestRef)).resolves.toMatchObject({ upToDate: true });
  });

  it("rejects a pull of a digest the registry does not have with the daemon's message", async () => {
    const missing = `${image.repository}@sha256:${"0".repeat(64)}`;
    const error = await docker.pullImage(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerOperationError);
    expect((error as Error).message).toMatch(
      new RegExp(`^pull ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} failed: .*(not found|unknown)`),
    );
  });

  it("fails a pull whose error arrives in the middle of the stream (G9)", async () => {
    const broken = await pushTemplateImage({ namespace, runtime: "codex", marker: `blob-${suffix}` });
    const [layer] = await manifestLayers(broken.repository, broken.digest);
    await deleteRegistryBlob(broken.repository, layer!);

    const events: PullProgress[] = [];
    const error = await docker
      .pullImage(broken.digestRef, { onProgress: (p) => events.push(p) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerOperationError);
    expect((error as Error).message).toBe(`pull ${broken.digestRef} failed: unknown blob`);
    expect(events.length).toBeGreaterThan(0); // the stream did start: HTTP 200, then the error event
    expect(await docker.imageExists(broken.digestRef)).toBe(false);
  });

  it("runs a container through create, start, inspect, stop, rename and remove", async () => {
    await docker.pullImage(image.digestRef);
    const volume = `fleetpin-test-vol-${suffix}`;
    volumes.push(volume);
    expect(await docker.volumeExists(volume)).toBe(false);
    await docker.createVolume(volume, { [LABEL_MANAGED]: "true" });
    await docker.createVolume(volume, { [LABEL_MANAGED]: "true" }); // idempotent
    expect(await docker.volumeExists(volume)).toBe(true);

    const name = `fleetpin-test-${suffix}`;
    const { id } = await docker.createContainer(
      specToCreateRequest(
        spec(name, { mounts: [{ type: "volume", source: volume, target: "/workspace" }], platform: "linux/amd64" }),
      ),
    );
    containers.push(id);
    await docker.startContainer(id);
    await docker.startContainer(id); // already running: fine

    const running = await docker.inspectContainer(name);
    expect(running).toMatchObject({
      id,
      name,
      image: image.digestRef,
      status: "running",
      running: true,
      restartPolicy: "unless-stopped",
      networkMode: "none",
      labels: { [LABEL_MANAGED]: "true", "fleetpin.test": suffix },
      mounts: [{ type: "volume", source: volume, target: "/workspace", readOnly: false }],
    });
    expect(running?.env).toContain("WORKSPACE_ID=test");
    expect(running?.imageId).toMatch(/^sha256:/);
    expect(running?.startedAt).not.toBeNull();
    expect((await docker.listManagedContainers()).find((c) => c.id === id)).toMatchObject({ name, status: "running" });

    await docker.stopContainer(id, { timeoutSeconds: 30 });
    // Exit code 0: the test image stopped on SIGTERM, it was not killed when the timeout ran out.
    expect((await docker.inspectContainer(id))?.exitCode).toBe(0);
    await docker.stopContainer(id, { timeoutSeconds: 1 }); // 304 already stopped: success
    expect(await docker.inspectContainer(id)).toMatchObject({ status: "exited", running: false });

    await docker.renameContainer(id, `${name}-renamed`);
    expect((await docker.inspectContainer(`${name}-renamed`))?.id).toBe(id);
    expect(await docker.inspectContainer(name)).toBeNull();

    await docker.removeContainer(id, { force: true });
    await docker.removeContainer(id, { force: true }); // no such container: success
    expect(await docker.inspectContainer(id)).toBeNull();
    expect(await docker.volumeExists(volume)).toBe(true); // volumes outlive containers
  });

  it("reports a name conflict with the daemon's words", async () => {
    const name = `fleetpin-test-dup-${suffix}`;
    const { id } = await docker.createContainer(specToCreateRequest(spec(name)));
    containers.push(id);
    const error = await docker.createContainer(specToCreateRequest(spec(name))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerOperationError);
    expect((error as Error).message).toMatch(
      /^create container .* failed: Conflict\. The container name "\/fleetpin-test-dup-/,
    );
  });

  it("rejects a start whose command does not exist", async () => {
    const name = `fleetpin-test-nocmd-${suffix}`;
    const { id } = await docker.createContainer(specToCreateRequest(spec(name, { cmd: ["/bin/does-not-exist"] })));
    containers.push(id);
    await expect(docker.startContainer(id)).rejects.toThrow(/^start container .* failed: .*does-not-exist/);
  });

  it("rejects operations on a missing container except remove", async () => {
    const ghost = `fleetpin-test-ghost-${suffix}`;
    await expect(docker.stopContainer(ghost)).rejects.toThrow(/No such container/);
    await expect(docker.renameContainer(ghost, `${ghost}-x`)).rejects.toBeInstanceOf(DockerOperationError);
    await expect(docker.removeContainer(ghost)).resolves.toBeUndefined();
  });
});
