// Workspace containers made the way the PLATFORM makes them (seed provisioner.go `Start()`, spec §3),
// not the way Fleetpin does. `platformCreateRequest` (test/platform-create-request.ts, re-exported
// here) is pure (table input for tests of code that reads or clones such containers);
// `createPlatformContainer` sends it to the test dockerd.
import Docker from "dockerode";

import { claudeSessionsVolumeName, configVolumeName, workspaceVolumeName } from "@/lib/provisioner/containers/naming";
import { dockerConnection } from "@/lib/provisioner/docker/connection";

import { PLATFORM_NETWORK, platformCreateRequest, type PlatformContainerOptions } from "./platform-create-request";

export * from "./platform-create-request";

/** A dockerode client on the test daemon (DOCKER_HOST). */
export function testDockerode(): Docker {
  if (!process.env.DOCKER_HOST)
    throw new Error("DOCKER_HOST is not set: start scripts/services/start.sh and load its env");
  return new Docker(dockerConnection({ dockerHost: process.env.DOCKER_HOST }).modem);
}

/** The test daemon's socket path (from a unix:// DOCKER_HOST), for tier 4's docker.sock bind. */
export function testDockerSocketPath(): string {
  const host = process.env.DOCKER_HOST ?? "";
  if (!host.startsWith("unix://")) throw new Error(`tier 4 needs a unix:// DOCKER_HOST to bind, got "${host}"`);
  return host.slice("unix://".length);
}

/** Creates PLATFORM_NETWORK as a user-defined bridge when missing (works with --bridge=none). */
export async function ensurePlatformNetwork(docker: Docker = testDockerode()): Promise<void> {
  const existing = await docker.listNetworks({ filters: { name: [PLATFORM_NETWORK] } });
  if (existing.some((network) => network.Name === PLATFORM_NETWORK)) return;
  try {
    await docker.createNetwork({ Name: PLATFORM_NETWORK, Driver: "bridge", CheckDuplicate: true });
  } catch (error) {
    // Another test file created it in between.
    if (!String(error).includes("already exists")) throw error;
  }
}

/** What `createPlatformContainer` returns. */
export interface PlatformContainer {
  id: string;
  name: string;
  workspaceId: string;
}

/**
 * Does what Start() does on the test daemon: ensure the network, create the explicit volumes,
 * force-remove a same-name container (error ignored), create, start. The image must be local or
 * pullable. NanoCpus are capped at the daemon's CPU count unless `maxNanoCpus` says otherwise.
 * `docker`: another engine than DOCKER_HOST (the many-hosts tests).
 */
export async function createPlatformContainer(
  options: PlatformContainerOptions,
  docker: Docker = testDockerode(),
): Promise<PlatformContainer> {
  const maxNanoCpus = options.maxNanoCpus ?? ((await docker.info()) as { NCPU: number }).NCPU * 1e9;
  const request = platformCreateRequest({ ...options, maxNanoCpus });
  await ensurePlatformNetwork(docker);
  for (const volume of request.volumes) await docker.createVolume({ Name: volume.name, Labels: volume.labels });
  await docker
    .getContainer(request.name)
    .remove({ force: true })
    .catch(() => undefined);
  const container = await docker.createContainer({
    name: request.name,
    ...request.body,
  } as Docker.ContainerCreateOptions);
  await container.start();
  return { id: container.id, name: request.name, workspaceId: request.workspaceId };
}

/** Removes a platform container and the volumes Start() made (configs, claude-sessions, workspace). */
export async function removePlatformContainer(
  container: { name: string; workspaceId: string },
  docker: Docker = testDockerode(),
): Promise<void> {
  await docker
    .getContainer(container.name)
    .remove({ force: true })
    .catch(() => undefined);
  const { workspaceId } = container;
  for (const volume of [
    configVolumeName(workspaceId),
    claudeSessionsVolumeName(workspaceId),
    workspaceVolumeName(workspaceId),
  ]) {
    await docker
      .getVolume(volume)
      .remove({ force: true })
      .catch(() => undefined);
  }
}
