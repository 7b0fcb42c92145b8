import type Docker from "dockerode";

import type { ContainerInspect, ImageInspect } from "@/lib/provisioner/containers/inspect-types";

import type { ContainerStatus, DockerContainer, DockerContainerSummary, DockerImage, MountSpec } from "./types";

// The daemon's inspect and list answers in the shape the rest of Fleetpin reads; the raw
// inspect rides along for the clone, which copies what it does not know key by key.

export function toDockerImage(info: Docker.ImageInspectInfo): DockerImage {
  return {
    id: info.Id,
    repoDigests: info.RepoDigests ?? [],
    repoTags: info.RepoTags ?? [],
    env: info.Config?.Env ?? [],
    os: info.Os ?? "",
    architecture: info.Architecture ?? "",
    inspect: info as unknown as ImageInspect,
  };
}

export function toDockerContainer(info: Docker.ContainerInspectInfo): DockerContainer {
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    image: info.Config.Image,
    imageId: info.Image,
    labels: info.Config.Labels ?? {},
    env: info.Config.Env ?? [],
    status: info.State.Status as ContainerStatus,
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    error: info.State.Error ?? "",
    startedAt: dockerTime(info.State.StartedAt),
    finishedAt: dockerTime(info.State.FinishedAt),
    createdAt: info.Created,
    restartPolicy: info.HostConfig.RestartPolicy?.Name ?? "",
    networkMode: info.HostConfig.NetworkMode ?? "",
    mounts: (info.Mounts ?? []).flatMap((mount): MountSpec[] => {
      if (mount.Type === "volume" && mount.Name) {
        return [{ type: "volume", source: mount.Name, target: mount.Destination, readOnly: !mount.RW }];
      }
      if (mount.Type === "bind")
        return [{ type: "bind", source: mount.Source, target: mount.Destination, readOnly: !mount.RW }];
      return [];
    }),
    restartCount: info.RestartCount ?? 0,
    health: info.State.Health?.Status ?? null,
    inspect: info as unknown as ContainerInspect,
  };
}

export function toContainerSummary(item: Docker.ContainerInfo): DockerContainerSummary {
  return {
    id: item.Id,
    name: (item.Names[0] ?? "").replace(/^\//, ""),
    image: item.Image,
    imageId: item.ImageID,
    labels: item.Labels ?? {},
    status: item.State as ContainerStatus,
    statusText: item.Status,
  };
}

// Docker writes "0001-01-01T00:00:00Z" for "never".
function dockerTime(value: string | undefined): string | null {
  return !value || value.startsWith("0001-") ? null : value;
}
