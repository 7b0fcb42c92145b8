// Shared setup of the Docker sections (throughput and registry calls): a
// PostgreSQL database, test images in the registry behind the counting proxy,
// and cleanup of every container, volume and local image the run made.
import { randomBytes } from "node:crypto";

import Docker from "dockerode";

import { LABEL_WORKSPACE_ID, workspaceVolumeName } from "@/lib/provisioner/containers/naming";
import { createDockerClient, dockerConnection, type DockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { mapLimit } from "@/lib/util/map-limit";
import { buildAndPushTestImage, testRegistryHost } from "@/test/images";

import { openBenchDatabase, type BenchDatabase } from "./databases";
import { startCountingProxy, type CountingProxy } from "./registry-proxy";

/** Who the bench's pin changes, provisions and operations are recorded as. */
export const BENCH_ACTOR = "bench@fleetpin.local";

/** Everything the Docker sections share. `env` is what Fleetpin's code is given (prefix, network). */
export type DockerBench = {
  id: string;
  database: BenchDatabase;
  docker: DockerClient;
  dockerode: Docker;
  proxy: CountingProxy;
  /** `<proxy host>/fleetpin-bench-<id>`: MOLECULE_IMAGE_REGISTRY for this run. */
  prefix: string;
  env: NodeJS.ProcessEnv;
  /** Pushes a one-layer image for `template` under `tag` (marker makes the digest unique); returns its digest. */
  pushTemplateImage(template: string, tag: string, marker: string): Promise<string>;
  /** Workspace ids whose containers and volumes the cleanup removes. */
  track(workspaceId: string): void;
  /** Provisions `count` workspaces of `template` through Fleetpin (4 at a time), tracked for cleanup; returns their ids. */
  provisionWorkspaces(template: string, count: number, namePrefix: string): Promise<string[]>;
  close(): Promise<void>;
};

export async function openDockerBench(): Promise<DockerBench> {
  const id = randomBytes(3).toString("hex");
  const registry = testRegistryHost();
  const namespace = `fleetpin-bench-${id}`;
  const proxy = await startCountingProxy(registry);
  const prefix = `${proxy.host}/${namespace}`;
  // The health gate is off by default (settle 0, and the test images have no healthcheck): the
  // setup, the registry counts and the throughput ratio are about Fleetpin's own work; the
  // reprovision section times the gate separately with its own settle time.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOLECULE_IMAGE_REGISTRY: prefix,
    FLEETPIN_CONTAINER_NETWORK: "none",
    FLEETPIN_HEALTH_SETTLE_SECONDS: "0",
  };
  const dockerode = new Docker(dockerConnection({}).modem);
  const docker = createDockerClient();
  const workspaceIds = new Set<string>();
  let database: BenchDatabase;
  try {
    await docker.ping();
    database = await openBenchDatabase("postgres");
  } catch (error) {
    await proxy.close();
    throw error;
  }

  return {
    id,
    database,
    docker,
    dockerode,
    proxy,
    prefix,
    env,
    async pushTemplateImage(template, tag, marker) {
      // Pushed straight to the registry; Fleetpin and dockerd then reach it through the proxy.
      const pushed = await buildAndPushTestImage({
        repository: `${namespace}/workspace-template-${template}`,
        tag,
        marker,
        registryHost: registry,
      });
      return pushed.digest;
    },
    track(workspaceId) {
      workspaceIds.add(workspaceId);
    },
    provisionWorkspaces(template, count, namePrefix) {
      return mapLimit(
        Array.from({ length: count }, (_, i) => i),
        4,
        async (i) => {
          const result = await provisionWorkspace(
            { name: `${namePrefix}-${i}`, runtime: template },
            { db: database.db, docker, actor: BENCH_ACTOR, env },
          );
          workspaceIds.add(result.workspaceId);
          return result.workspaceId;
        },
      );
    },
    async close() {
      for (const workspaceId of workspaceIds) {
        const containers = await dockerode.listContainers({
          all: true,
          filters: { label: [`${LABEL_WORKSPACE_ID}=${workspaceId}`] },
        });
        await Promise.all(
          containers.map((c) =>
            dockerode
              .getContainer(c.Id)
              .remove({ force: true, v: false })
              .catch(() => undefined),
          ),
        );
        await dockerode
          .getVolume(workspaceVolumeName(workspaceId))
          .remove()
          .catch(() => undefined);
      }
      // Every image named under this run's namespace, whatever name the daemon filed it under.
      const images = await dockerode.listImages({ all: true });
      const ours = images.filter((image) =>
        [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].some((name) => name.includes(`/${namespace}/`)),
      );
      for (const image of ours) {
        await dockerode
          .getImage(image.Id)
          .remove({ force: true })
          .catch((error: Error) => console.log(`# cleanup: image ${image.Id}: ${error.message}`));
      }
      await database.close();
      await proxy.close();
    },
  };
}
