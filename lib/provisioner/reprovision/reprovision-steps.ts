import "server-only";

import type { Env } from "@/lib/config";
import type { LockedWorkspace } from "@/lib/db/workspace-state";
import type { WorkspaceState } from "@/lib/domain/errors";
import { cloneCreateRequest } from "@/lib/provisioner/containers/clone";
import type { ContainerCreateRequest } from "@/lib/provisioner/containers/inspect-types";
import {
  LABEL_MANAGED,
  LABEL_WORKSPACE_ID,
  workspaceLabels,
  workspaceVolumeName,
} from "@/lib/provisioner/containers/naming";
import { specToCreateRequest, workspaceContainerSpec } from "@/lib/provisioner/containers/workspace-spec";
import type { DockerClient, DockerContainer, DockerImage } from "@/lib/provisioner/docker/types";
import { imagePlatform } from "@/lib/provisioner/images/platform";

import type { ReprovisionDeps } from "./types";

// The pieces of a reprovision that decide what to create and how to word what happened;
// reprovision.ts runs them in order under the workspace's lock.

/**
 * The create request of the new container. Replacing one: a clone of it on the new image with
 * Fleetpin's identity labels added (container-clone.ts). A first container: the seed's spec.
 */
export async function containerRequest(
  docker: DockerClient,
  locked: LockedWorkspace,
  image: string,
  old: DockerContainer | null,
  oldImage: DockerImage | null,
  env: Env | undefined,
): Promise<ContainerCreateRequest> {
  const platform = imagePlatform(env);
  if (!old) {
    // Explicit and labelled (the seed let Docker create it implicitly): it must outlive every container.
    await docker.createVolume(workspaceVolumeName(locked.id), {
      [LABEL_MANAGED]: "true",
      [LABEL_WORKSPACE_ID]: locked.id,
    });
    return specToCreateRequest(
      workspaceContainerSpec({ workspaceId: locked.id, template: locked.runtime, image, ...(env ? { env } : {}) }),
    );
  }
  const request = cloneCreateRequest({
    container: old.inspect,
    oldImage: oldImage?.inspect ?? null,
    image,
    labels: workspaceLabels(locked.id, locked.runtime),
    ...(platform ? { platform } : {}),
  });
  // A container an interrupted run left renamed aside gives its name back.
  return { ...request, name: request.name.replace(ASIDE_SUFFIX, "") };
}

/** `8000/tcp → 127.0.0.1:49153` per published port: an ephemeral host port is assigned anew on every start, as on any restart. */
export function publishedPorts(container: DockerContainer): Record<string, string[]> {
  const ports =
    (
      container.inspect.NetworkSettings as
        { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> } | undefined
    )?.Ports ?? {};
  return Object.fromEntries(
    Object.entries(ports).map(([port, bindings]) => [port, (bindings ?? []).map((b) => `${b.HostIp}:${b.HostPort}`)]),
  );
}

/** Where a workspace stands when the run failed before its container was touched. */
export function untouchedState(locked: LockedWorkspace, old: DockerContainer | null): WorkspaceState {
  if (old) return old.running ? "old_running" : "old_stopped";
  if (!locked.containerId) return "no_container";
  return locked.previousStatus === "online" || locked.previousStatus === "degraded" ? "old_running" : "old_stopped";
}

const ASIDE_SUFFIX = /-prev-\d+$/;

export function stageWords(stage: string): string {
  return stage === "resolve"
    ? "resolving the image"
    : stage === "pull"
      ? "pulling the image"
      : "preparing the new container";
}

/** The operation item a run belongs to, for its audit rows. */
export function operationRef(deps: ReprovisionDeps): { operationItemId?: string } {
  return deps.operationItemId !== undefined ? { operationItemId: String(deps.operationItemId) } : {};
}
