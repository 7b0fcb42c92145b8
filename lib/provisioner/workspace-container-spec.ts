import type { ContainerSpec, DockerContainer, MountSpec } from "./docker-types";
import { containerName, workspaceLabels, workspaceVolumeName } from "./naming";
import { imagePlatform } from "./platform";
import type { EnvSource } from "./registry";

/**
 * Network for workspace containers when FLEETPIN_CONTAINER_NETWORK is unset and there is no
 * previous container to inherit from. `bridge` exists on every stock daemon; the seed's
 * `molecule-monorepo-net` only exists where its compose file ran, so it must be asked for
 * explicitly (FLEETPIN_CONTAINER_NETWORK=molecule-monorepo-net). Tests use `none` because the
 * test daemon runs with --bridge=none.
 */
export const DEFAULT_CONTAINER_NETWORK = "bridge";

/** Where the workspace data volume is mounted (seed `buildWorkspaceMount`). */
export const WORKSPACE_MOUNT_PATH = "/workspace";

/** What a workspace container is built from. */
export interface WorkspaceContainerInput {
  workspaceId: string;
  template: string;
  image: string;
  env?: EnvSource;
  /** The container being replaced, if any: its extra mounts, own env and network are kept. */
  previous?: DockerContainer | null;
  /** The previous container's image env, so only the container's own variables are carried over. */
  previousImageEnv?: readonly string[];
}

/**
 * The container spec for a workspace (seed conventions): name `ws-<id12>`, the managed labels,
 * restart `unless-stopped`, the named volume `ws-<full id>-workspace` at /workspace and
 * `WORKSPACE_ID=<id>`. When it replaces a container, everything that container carried beyond
 * that — mounts such as the seed's /configs volume, variables it was created with (not those it
 * got from its image), its network — is carried over, so a reprovision changes the image and
 * nothing else.
 */
export function workspaceContainerSpec(input: WorkspaceContainerInput): ContainerSpec {
  const env = input.env ?? process.env;
  const previous = input.previous ?? null;

  const mounts: MountSpec[] = [{ type: "volume", source: workspaceVolumeName(input.workspaceId), target: WORKSPACE_MOUNT_PATH }];
  for (const mount of previous?.mounts ?? []) {
    if (!mounts.some((existing) => existing.target === mount.target)) mounts.push(mount);
  }

  const imageEnv = new Set(input.previousImageEnv ?? []);
  const carried = (previous?.env ?? []).filter((entry) => !imageEnv.has(entry) && !entry.startsWith("WORKSPACE_ID="));

  const configuredNetwork = (env.FLEETPIN_CONTAINER_NETWORK ?? "").trim();
  return {
    name: containerName(input.workspaceId),
    image: input.image,
    labels: workspaceLabels(input.workspaceId, input.template),
    env: [`WORKSPACE_ID=${input.workspaceId}`, ...carried],
    mounts,
    restartPolicy: "unless-stopped",
    networkMode: configuredNetwork || previous?.networkMode || DEFAULT_CONTAINER_NETWORK,
    platform: imagePlatform(env),
  };
}
