import "server-only";

import { errorMessage } from "@/lib/domain/errors";
import type { Workspace } from "@/lib/generated/prisma/client";
import { readContainerIdentity } from "@/lib/provisioner/containers/identity";
import { containerName as workspaceContainerName, LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import { runningImageDigest } from "@/lib/provisioner/docker/running-digest";
import type { DockerClient, DockerContainer, DockerContainerSummary } from "@/lib/provisioner/docker/types";
import { isUnhealthy } from "@/lib/provisioner/live-state/status-rules";
import { mapLimit } from "@/lib/util/map-limit";

import type { SyncResult } from "./types";

const INSPECT_CONCURRENCY = 8;

/** One managed container as sync saw it; `workspaceId` null when nothing on it names a workspace. */
export type Observation = {
  container: DockerContainer;
  workspaceId: string | null;
  runtime: string | null;
  /** Why `runtime` is null, for the skip reason when the container would need adopting. */
  runtimeProblem: string | null;
  digest: string | null;
  unhealthy: boolean;
};

/**
 * Inspects every listed container and reads its identity. Containers whose identity is
 * unreadable or ambiguous are put on `result.skipped` with the reason; Docker failures on
 * `result.errors`. Neither stops the others.
 */
export async function observeContainers(
  docker: DockerClient,
  summaries: DockerContainerSummary[],
  result: SyncResult,
): Promise<Observation[]> {
  const images = new Map<string, Promise<readonly string[]>>();
  const observed = await mapLimit(summaries, INSPECT_CONCURRENCY, async (summary): Promise<Observation | null> => {
    try {
      const container = await docker.inspectContainer(summary.id);
      if (!container) return null; // removed since it was listed
      const identity = readContainerIdentity(container);
      if (identity.kind === "unreadable") {
        result.skipped.push({
          workspaceId: null,
          containerId: container.id,
          containerName: container.name,
          reason: `identity unreadable: ${identity.reason}`,
        });
        return null;
      }
      const found = identity.kind === "found";
      return {
        container,
        workspaceId: found ? identity.workspaceId : null,
        runtime: found ? identity.runtime : null,
        runtimeProblem: found ? identity.runtimeProblem : identity.reason,
        digest: await runningImageDigest(docker, container, images),
        unhealthy: isUnhealthy(summary.statusText),
      };
    } catch (error) {
      result.errors.push({
        workspaceId: summary.labels[LABEL_WORKSPACE_ID] ?? null,
        containerId: summary.id,
        containerName: summary.name,
        message: errorMessage(error),
      });
      return null;
    }
  });
  return observed.filter((observation): observation is Observation => observation !== null);
}

/**
 * Observations per workspace ID, the current container first. Containers naming no workspace
 * are matched to a row by container ID or name, else skipped. The current container is the one
 * the row records, else the one named `ws-<id12>`, else the only one; when several claim one
 * workspace and none of them is current, all are skipped rather than one picked by guess.
 */
export function groupObservations(
  observed: Observation[],
  rows: Workspace[],
  result: SyncResult,
): Map<string, Observation[]> {
  const skip = (o: Observation, workspaceId: string | null, reason: string) =>
    result.skipped.push({ workspaceId, containerId: o.container.id, containerName: o.container.name, reason });
  const groups = new Map<string, Observation[]>();
  for (const o of observed) {
    const id =
      o.workspaceId ??
      rows.find((row) => row.containerId === o.container.id || row.containerName === o.container.name)?.id ??
      null;
    if (!id) {
      skip(
        o,
        null,
        `identity unreadable: ${o.runtimeProblem ?? "nothing names its workspace"}, and no workspace row records this container`,
      );
      continue;
    }
    groups.set(id, [...(groups.get(id) ?? []), o]);
  }
  for (const [id, group] of groups) {
    const rowContainer = rows.find((row) => row.id === id)?.containerId;
    const current =
      group.find((o) => o.container.id === rowContainer) ??
      group.find((o) => o.container.name === workspaceContainerName(id)) ??
      (group.length === 1 ? group[0] : undefined);
    if (!current) {
      const names = group.map((o) => o.container.name).join(", ");
      for (const o of group) {
        skip(
          o,
          id,
          `ambiguous: ${group.length} containers (${names}) claim workspace ${id} and none is its current one (recorded on its row or named ${workspaceContainerName(id)})`,
        );
      }
      groups.delete(id);
      continue;
    }
    for (const other of group)
      if (other !== current)
        skip(other, id, `another container of this workspace (${current.container.name}) is the current one`);
    groups.set(id, [current]);
  }
  return groups;
}
