import Docker from "dockerode";

// The test talks to dockerd directly (not through Fleetpin) so every claim the
// dashboard makes is checked against Docker itself.
export function testDocker(): Docker {
  if (!process.env.DOCKER_HOST) throw new Error("DOCKER_HOST is not set: run the browser tests through `npm test`");
  return new Docker();
}

/** What a workspace container really runs, straight from `docker inspect`. */
export async function inspectWorkspaceContainer(
  docker: Docker,
  workspaceId: string,
): Promise<{ running: boolean; configImage: string; imageId: string; repoDigests: string[] }> {
  const container = await docker.getContainer(`ws-${workspaceId.slice(0, 12)}`).inspect();
  const image = await docker.getImage(container.Image).inspect();
  return {
    running: container.State.Running,
    configImage: container.Config.Image,
    imageId: container.Image,
    repoDigests: image.RepoDigests ?? [],
  };
}

/** True when the container for `workspaceId` runs the image with manifest `digest`. */
export async function runsDigest(docker: Docker, workspaceId: string, digest: string): Promise<boolean> {
  const state = await inspectWorkspaceContainer(docker, workspaceId);
  return state.running && state.repoDigests.some((entry) => entry.endsWith(`@${digest}`));
}
