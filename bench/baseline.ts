// The baseline of the throughput figure: the same container work done by
// calling the Docker API directly (remove + create + start), with none of
// Fleetpin's logic (no lock, no pin lookup, no graceful stop and rollback
// path, no database writes, no audit). Same image, spec and concurrency.
import Docker from "dockerode";

import { mapLimit } from "@/lib/map-limit";
import { imagePlatform } from "@/lib/provisioner/platform";

/** A set of plain containers the baseline replaces round after round. */
export type BaselineFleet = {
  names: string[];
  /** Replaces every container by one created from `image`, `concurrency` at a time. */
  replaceAll(image: string, concurrency: number): Promise<void>;
  remove(): Promise<void>;
};

/** Creates and starts `count` containers from `image`, shaped like workspace containers (volume, labels, restart, network). */
export async function createBaselineFleet(docker: Docker, options: { prefix: string; count: number; image: string; env: NodeJS.ProcessEnv }): Promise<BaselineFleet> {
  const names = Array.from({ length: options.count }, (_, i) => `${options.prefix}-base-${i}`);
  const label = { "fleetpin.bench": options.prefix };
  const platform = imagePlatform(options.env);
  const network = options.env.FLEETPIN_CONTAINER_NETWORK || "none";

  const createAndStart = async (name: string, image: string) => {
    const container = await docker.createContainer({
      name,
      Image: image,
      Labels: label,
      Env: [`WORKSPACE_ID=${name}`],
      ...(platform ? { platform } : {}),
      HostConfig: {
        Mounts: [{ Type: "volume", Source: `${name}-workspace`, Target: "/workspace", ReadOnly: false }],
        RestartPolicy: { Name: "unless-stopped" },
        NetworkMode: network,
      },
    });
    await container.start();
  };

  const fleet: BaselineFleet = {
    names,
    async replaceAll(image, concurrency) {
      await mapLimit(names, concurrency, async (name) => {
        await docker.getContainer(name).remove({ force: true, v: false });
        await createAndStart(name, image);
      });
    },
    async remove() {
      const containers = await docker.listContainers({ all: true, filters: { label: [`fleetpin.bench=${options.prefix}`] } });
      await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: false }).catch(() => undefined)));
      await Promise.all(names.map((name) => docker.getVolume(`${name}-workspace`).remove().catch(() => undefined)));
    },
  };
  try {
    await mapLimit(names, 4, (name) => createAndStart(name, options.image));
  } catch (error) {
    await fleet.remove();
    throw error;
  }
  return fleet;
}
