import { type Env, reprovisionConfig } from "@/lib/config";
import { imagePlatform } from "@/lib/provisioner/images/platform";

import type { ContainerCreateRequest } from "./inspect-types";
import { containerName, workspaceLabels, workspaceVolumeName } from "./naming";

/**
 * Network for a workspace's FIRST container when FLEETPIN_CONTAINER_NETWORK is unset. `bridge`
 * exists on every stock daemon; the seed's `molecule-monorepo-net` only exists where its
 * compose file ran, so it must be asked for explicitly. A reprovision never uses this: the
 * replacement keeps the networks of the container it replaces (see container-clone.ts).
 * Tests use `none` because the test daemon runs with --bridge=none.
 */
export { DEFAULT_CONTAINER_NETWORK } from "@/lib/config";

/** Where the workspace data volume is mounted (seed `buildWorkspaceMount`). */
export const WORKSPACE_MOUNT_PATH = "/workspace";

/** A mount as Fleetpin creates and reads them: named volumes or host binds. */
export interface MountSpec {
  type: "volume" | "bind";
  /** Volume name or host path. */
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly?: boolean;
}

/**
 * What a container is created from (a workspace's first container, or a test's): everything
 * `createContainer` needs; nothing else is set on the container.
 */
export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  env: string[];
  /** Overrides the image's CMD when given. */
  cmd?: string[];
  mounts: MountSpec[];
  restartPolicy: "no" | "always" | "unless-stopped" | "on-failure";
  networkMode: string;
  /** `os/arch` to create for; "" or undefined lets the daemon choose. */
  platform?: string;
}

/** What a workspace's first container is built from. */
export interface WorkspaceContainerInput {
  workspaceId: string;
  template: string;
  image: string;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
}

/**
 * The spec of a workspace's first container (seed conventions): name `ws-<id12>`, the managed
 * labels plus Fleetpin's identity labels, restart `unless-stopped`, the named volume
 * `ws-<full id>-workspace` at /workspace and `WORKSPACE_ID=<id>`. Only for a workspace that
 * has no container: replacing one clones it instead (container-clone.ts), so a reprovision
 * changes the image and nothing else.
 */
export function workspaceContainerSpec(input: WorkspaceContainerInput): ContainerSpec {
  const { env } = input;
  return {
    name: containerName(input.workspaceId),
    image: input.image,
    labels: workspaceLabels(input.workspaceId, input.template),
    env: [`WORKSPACE_ID=${input.workspaceId}`],
    mounts: [{ type: "volume", source: workspaceVolumeName(input.workspaceId), target: WORKSPACE_MOUNT_PATH }],
    restartPolicy: "unless-stopped",
    networkMode: reprovisionConfig(env).containerNetwork,
    platform: imagePlatform(env),
  };
}

/** The Engine API create request for a spec. */
export function specToCreateRequest(spec: ContainerSpec): ContainerCreateRequest {
  return {
    name: spec.name,
    ...(spec.platform ? { platform: spec.platform } : {}),
    body: {
      Image: spec.image,
      Labels: spec.labels,
      Env: spec.env,
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      HostConfig: {
        Mounts: spec.mounts.map((mount) => ({
          Type: mount.type,
          Source: mount.source,
          Target: mount.target,
          ReadOnly: mount.readOnly ?? false,
        })),
        RestartPolicy: { Name: spec.restartPolicy },
        NetworkMode: spec.networkMode,
      },
    },
    extraNetworks: [],
  };
}
