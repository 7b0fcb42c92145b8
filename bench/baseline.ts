// The baseline of the throughput figure: what recreating an equivalent container
// takes through the plain Docker API. A recreate must read the old container's
// configuration to copy it (Fleetpin clones the full inspect too), so each
// replacement is inspect old + remove old (force) + create (from the inspected
// Config and HostConfig, on the new image) + start: four calls and nothing else.
// None of Fleetpin's safety: no lock, no pin lookup, no image inspect for the
// clone, no graceful stop, no rename aside, no health gate, no rollback path,
// no journal or database writes, no audit. Same image, spec and concurrency.
import { performance } from "node:perf_hooks";

import Docker from "dockerode";

import { imagePlatform } from "@/lib/provisioner/images/platform";
import { mapLimit } from "@/lib/util/map-limit";

import type { CallTotals } from "./call-recorder";

/** A set of plain containers the baseline replaces round after round. */
export type BaselineFleet = {
  names: string[];
  /** Replaces every container by one created from `image`, `concurrency` at a time; `totals` gets calls and ms per API call. */
  replaceAll(image: string, concurrency: number, totals?: CallTotals): Promise<void>;
  remove(): Promise<void>;
};

/** Creates and starts `count` containers from `image`, shaped like workspace containers (volume, labels, restart, network). */
export async function createBaselineFleet(
  docker: Docker,
  options: { prefix: string; count: number; image: string; env: NodeJS.ProcessEnv },
): Promise<BaselineFleet> {
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
    async replaceAll(image, concurrency, totals) {
      const call = async <T>(method: string, work: () => Promise<T>): Promise<T> => {
        if (!totals) return work();
        const started = performance.now();
        try {
          return await work();
        } finally {
          const entry = (totals[method] ??= { calls: 0, ms: 0 });
          entry.calls += 1;
          entry.ms += performance.now() - started;
        }
      };
      await mapLimit(names, concurrency, async (name) => {
        const old = docker.getContainer(name);
        const inspect = await call("inspectContainer", () => old.inspect());
        await call("removeContainer", () => old.remove({ force: true, v: false }));
        // The inspected settings as they are; the hostname is the old container's id, so the daemon picks a new one.
        const { Hostname: _hostname, Image: _image, ...config } = inspect.Config;
        const options = {
          ...config,
          name,
          Image: image,
          ...(platform ? { platform } : {}),
          HostConfig: inspect.HostConfig,
        } as Docker.ContainerCreateOptions;
        const container = await call("createContainer", () => docker.createContainer(options));
        await call("startContainer", () => container.start());
      });
    },
    async remove() {
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`fleetpin.bench=${options.prefix}`] },
      });
      await Promise.all(
        containers.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true, v: false })
            .catch(() => undefined),
        ),
      );
      await Promise.all(
        names.map((name) =>
          docker
            .getVolume(`${name}-workspace`)
            .remove()
            .catch(() => undefined),
        ),
      );
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
