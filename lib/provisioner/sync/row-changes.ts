import type { Prisma, Workspace, WorkspaceStatus } from "@/lib/generated/prisma/client";
import { statusForContainer } from "@/lib/provisioner/live-state/status-rules";

import type { Observation } from "./observe";

/** Written to last_error of a row whose container is gone. */
export const MISSING_CONTAINER_ERROR = "container not found in Docker: it was removed outside Fleetpin";
// What earlier versions wrote; cleared the same way once the container is back.
const LEGACY_MISSING_CONTAINER_ERROR = "container not found during sync";

/** What a container says about its workspace row (no I/O). */
type Observed = Pick<Observation, "container" | "digest" | "unhealthy">;

/** The row fields a container determines; `current` is the row's status (null when adopting). */
export function containerFields(o: Observed, current: WorkspaceStatus | null) {
  return {
    status: statusForContainer(o.container.status, o.unhealthy, current),
    containerId: o.container.id,
    containerName: o.container.name,
    runtimeImage: o.container.image,
    runtimeImageDigest: o.digest,
  };
}

// Only what differs, so an unchanged fleet writes nothing (but the audit row, when asked).
export function rowChanges(row: Workspace, o: Observed): Prisma.WorkspaceUpdateManyMutationInput {
  const wanted = containerFields(o, row.status);
  // Same container, digest unreadable now: keep what was recorded when it was readable.
  if (wanted.runtimeImageDigest === null && row.containerId === o.container.id)
    wanted.runtimeImageDigest = row.runtimeImageDigest;
  const data: Prisma.WorkspaceUpdateManyMutationInput = {};
  if (row.status !== wanted.status) data.status = wanted.status;
  if (row.containerId !== wanted.containerId) data.containerId = wanted.containerId;
  if (row.containerName !== wanted.containerName) data.containerName = wanted.containerName;
  if (row.runtimeImage !== wanted.runtimeImage) data.runtimeImage = wanted.runtimeImage;
  if (row.runtimeImageDigest !== wanted.runtimeImageDigest) data.runtimeImageDigest = wanted.runtimeImageDigest;
  if (row.lastError === MISSING_CONTAINER_ERROR || row.lastError === LEGACY_MISSING_CONTAINER_ERROR)
    data.lastError = null;
  return data;
}
