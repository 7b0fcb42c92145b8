// Helpers for tests against the real test dockerd (DOCKER_HOST) and registry (TEST_REGISTRY_HOST):
// per-file registry namespaces, workspace-template images, exec, and cleanup by label. All names
// are random so parallel files (and other engineers' runs) never collide.
import { randomBytes } from "node:crypto";

import type { Env } from "@/lib/config";
import { LABEL_WORKSPACE_ID, workspaceVolumeName } from "@/lib/provisioner/containers/naming";

import { servicesRequired } from "./databases";
import { buildAndPushTestImage, dockerCli, removeLocalImage, testRegistryHost, type PushedImage } from "./images";

/**
 * True when dockerd and the registry are configured. Under FLEETPIN_REQUIRE_SERVICES=1 a
 * missing variable throws, so integration tests fail instead of skipping.
 */
export function dockerServicesAvailable(): boolean {
  const missing = ["DOCKER_HOST", "TEST_REGISTRY_HOST"].filter((name) => !process.env[name]);
  if (missing.length > 0 && servicesRequired) {
    throw new Error(
      `${missing.join(", ")} not set: run the tests through \`npm test\` (scripts/test-all.sh), which starts dockerd and the registry`,
    );
  }
  return missing.length === 0;
}

/** A short random suffix for names. */
export function randomSuffix(): string {
  return randomBytes(4).toString("hex");
}

/**
 * The `env` a test passes as deps: images under `<TEST_REGISTRY_HOST>/<namespace>`, containers
 * on network `none` (the test daemon runs with --bridge=none). Never written to process.env.
 */
export function dockerTestEnv(namespace: string, extra: Record<string, string> = {}): Env {
  return {
    DOCKER_HOST: process.env.DOCKER_HOST,
    MOLECULE_IMAGE_REGISTRY: `${testRegistryHost()}/${namespace}`,
    FLEETPIN_CONTAINER_NETWORK: "none",
    // A short health gate keeps the gate on every path under test without a 5 s wait per container.
    FLEETPIN_HEALTH_SETTLE_SECONDS: "1",
    // Imported test images are built for the host's architecture.
    ...(process.arch === "x64" ? {} : { MOLECULE_IMAGE_PLATFORM: "" }),
    ...extra,
  };
}

/** A fresh registry namespace, e.g. `fleetpin-test-reprovision-1a2b3c4d`. */
export function testNamespace(label: string): string {
  return `fleetpin-test-${label}-${randomSuffix()}`;
}

/**
 * Pushes `<namespace>/workspace-template-<runtime>:<tag>` with `/version` = marker, then drops
 * the local copy so Fleetpin has to pull it like a real deployment would.
 */
export async function pushTemplateImage(options: {
  namespace: string;
  runtime: string;
  marker: string;
  tag?: string;
  keepLocal?: boolean;
}): Promise<PushedImage> {
  const image = await buildAndPushTestImage({
    repository: `${options.namespace}/workspace-template-${options.runtime}`,
    tag: options.tag ?? options.marker,
    marker: options.marker,
  });
  if (!options.keepLocal) await removeLocalImage(image.ref);
  return image;
}

/** Two images of one template, A and B (different digests), pushed and dropped from the daemon's cache. */
export async function pushTwoTemplateImages(
  namespace: string,
  runtime: string,
): Promise<{ a: PushedImage; b: PushedImage }> {
  const suffix = randomSuffix();
  return {
    a: await pushTemplateImage({ namespace, runtime, marker: `A-${suffix}` }),
    b: await pushTemplateImage({ namespace, runtime, marker: `B-${suffix}` }),
  };
}

/**
 * Pushes a copy of `base` whose CMD does not exist, under `<base repository>:<tag>`: creating a
 * container from it works, starting it fails, the way a broken image release does.
 */
export async function pushBrokenImage(base: PushedImage, tag: string): Promise<PushedImage> {
  const ref = `${base.repository}:${tag}`;
  await dockerCli(["pull", base.digestRef]);
  const id = (await dockerCli(["create", base.digestRef])).trim();
  try {
    await dockerCli(["commit", "--change", 'CMD ["/bin/this-command-does-not-exist"]', id, ref]);
  } finally {
    await dockerCli(["rm", "-f", id]);
  }
  const pushed = await dockerCli(["push", ref]);
  const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed)?.[1];
  if (!digest) throw new Error(`could not read the pushed digest of ${ref}:\n${pushed}`);
  await removeLocalImage(ref);
  await removeLocalImage(base.digestRef);
  return { ref, repository: base.repository, tag, digest, digestRef: `${base.repository}@${digest}` };
}

/** Runs a command in a running container and returns its stdout. */
export async function execIn(container: string, command: string[]): Promise<string> {
  return dockerCli(["exec", container, ...command]);
}

/** `docker inspect` of a container as raw JSON, or null when it does not exist. */
export async function inspectRaw(container: string): Promise<DockerInspect | null> {
  try {
    const [info] = JSON.parse(await dockerCli(["container", "inspect", container])) as DockerInspect[];
    return info ?? null;
  } catch (error) {
    if (String((error as { stderr?: string }).stderr ?? error).includes("No such container")) return null;
    throw error;
  }
}

/** `docker image inspect` RepoDigests of an image (by ID or reference). */
export async function imageRepoDigests(image: string): Promise<string[]> {
  const [info] = JSON.parse(await dockerCli(["image", "inspect", image])) as { RepoDigests: string[] }[];
  return info?.RepoDigests ?? [];
}

/** IDs and names of every container (any state) labelled with this workspace ID. */
export async function workspaceContainers(workspaceId: string): Promise<{ id: string; name: string; state: string }[]> {
  const out = await dockerCli([
    "ps",
    "-a",
    "--no-trunc",
    "--filter",
    `label=${LABEL_WORKSPACE_ID}=${workspaceId}`,
    "--format",
    "{{.ID}} {{.Names}} {{.State}}",
  ]);
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [id = "", name = "", state = ""] = line.trim().split(" ");
      return { id, name, state };
    });
}

/** Removes every container of a workspace and its data volume. */
export async function removeWorkspaceArtifacts(workspaceId: string): Promise<void> {
  for (const container of await workspaceContainers(workspaceId))
    await dockerCli(["rm", "-f", container.id]).catch(() => undefined);
  await dockerCli(["volume", "rm", "-f", workspaceVolumeName(workspaceId)]).catch(() => undefined);
}

/** Deletes a blob from a repository in the test registry, so pulls of images using it fail mid-stream. */
export async function deleteRegistryBlob(repositoryWithHost: string, digest: string): Promise<void> {
  const slash = repositoryWithHost.indexOf("/");
  const host = repositoryWithHost.slice(0, slash);
  const repository = repositoryWithHost.slice(slash + 1);
  const response = await fetch(`http://${host}/v2/${repository}/blobs/${digest}`, { method: "DELETE" });
  if (response.status !== 202)
    throw new Error(`DELETE blob ${digest} from ${repositoryWithHost}: HTTP ${response.status}`);
}

/** The layer digests of a manifest in the test registry. */
export async function manifestLayers(repositoryWithHost: string, reference: string): Promise<string[]> {
  const slash = repositoryWithHost.indexOf("/");
  const response = await fetch(
    `http://${repositoryWithHost.slice(0, slash)}/v2/${repositoryWithHost.slice(slash + 1)}/manifests/${reference}`,
    {
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    },
  );
  if (!response.ok) throw new Error(`GET manifest ${reference}: HTTP ${response.status}`);
  const manifest = (await response.json()) as { layers: { digest: string }[] };
  return manifest.layers.map((layer) => layer.digest);
}

/** The parts of `docker inspect` the tests read. */
export type DockerInspect = {
  Id: string;
  Name: string;
  Image: string;
  State: { Status: string; Running: boolean };
  Config: { Image: string; Env: string[]; Labels: Record<string, string> };
  HostConfig: { NetworkMode: string; RestartPolicy: { Name: string } };
  Mounts: { Type: string; Name?: string; Destination: string }[];
  NetworkSettings: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
};

/**
 * Pushes an image built `FROM base` with extra Dockerfile lines (HEALTHCHECK, CMD, LABEL…) under
 * `<base repository>:<tag>`, with the daemon's classic builder and no network: the base is local.
 */
export async function pushDerivedImage(
  base: PushedImage,
  tag: string,
  dockerfileLines: string[],
): Promise<PushedImage> {
  const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const dir = await mkdtemp(path.join(tmpdir(), "fleetpin-derived-"));
  const ref = `${base.repository}:${tag}`;
  try {
    await dockerCli(["pull", base.digestRef]);
    await writeFile(path.join(dir, "Dockerfile"), [`FROM ${base.digestRef}`, ...dockerfileLines, ""].join("\n"));
    await dockerCli(["build", "-q", "-t", ref, dir]);
    const pushed = await dockerCli(["push", ref]);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed)?.[1];
    if (!digest) throw new Error(`could not read the pushed digest of ${ref}:\n${pushed}`);
    await removeLocalImage(ref);
    return { ref, repository: base.repository, tag, digest, digestRef: `${base.repository}@${digest}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
