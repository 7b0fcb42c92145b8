import { randomUUID } from "node:crypto";

import type Docker from "dockerode";

import { TEST_IMAGE_CMD } from "@/test/images";

/**
 * Starts a workspace container the way the platform would have (seed naming and
 * labels, a named data volume), outside Fleetpin. The dashboard's
 * "Sync from Docker" then adopts it: that is how the browser journeys get a fleet.
 */
export async function startPlatformWorkspace(
  docker: Docker,
  options: { template: string; image: string; id?: string },
): Promise<{ id: string; containerName: string }> {
  const id = options.id ?? randomUUID();
  const containerName = `ws-${id.slice(0, 12)}`;
  const labels = {
    "molecule.platform.managed": "true",
    "molecule.workspace.id": id,
    "molecule.workspace.template": options.template,
  };
  const volume = `ws-${id}-workspace`;
  await docker.createVolume({ Name: volume, Labels: labels });
  await pullIfMissing(docker, options.image);
  const container = await docker.createContainer({
    name: containerName,
    Image: options.image,
    Cmd: TEST_IMAGE_CMD,
    Env: [`WORKSPACE_ID=${id}`],
    Labels: labels,
    HostConfig: { Binds: [`${volume}:/workspace`], NetworkMode: "none", RestartPolicy: { Name: "unless-stopped" } },
  });
  await container.start();
  return { id, containerName };
}

async function pullIfMissing(docker: Docker, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
        const failed = output?.find((event) => event.error);
        if (error || failed) reject(error ?? new Error(failed?.error));
        else resolve();
      }),
    );
  }
}
