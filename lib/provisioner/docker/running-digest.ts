import "server-only";

import { tryParseImageRef } from "@/lib/domain/image-ref";
import { digestForReference } from "@/lib/provisioner/images/repo-digest";

import type { DockerClient, DockerContainer } from "./types";

/**
 * The manifest digest a container really runs: container → image ID → the image's RepoDigests
 * entry for the repository the container was created from. Falls back to the digest written in
 * `Config.Image`, then null (e.g. a local build that was never pushed or pulled).
 * `images` caches image inspections by ID across calls (a sync inspects each image once).
 */
export async function runningImageDigest(
  docker: DockerClient,
  container: Pick<DockerContainer, "image" | "imageId">,
  images: Map<string, Promise<readonly string[]>> = new Map(),
): Promise<string | null> {
  let repoDigests = images.get(container.imageId);
  if (!repoDigests) {
    repoDigests = docker.inspectImage(container.imageId).then((image) => image?.repoDigests ?? []);
    images.set(container.imageId, repoDigests);
  }
  return digestForReference(container.image, await repoDigests) ?? tryParseImageRef(container.image)?.digest ?? null;
}
