/**
 * Which workspace status a container's state means (no I/O). The platform's own statuses
 * (spec §1.5) are liveness verdicts; these are Fleetpin's observations of the container:
 * running → online (degraded when Docker's healthcheck says unhealthy); not running although
 * nobody stopped it on purpose → down. A pause or hibernation explains a stopped or missing
 * container, so those statuses are kept.
 */
import type { WorkspaceStatus } from "@/lib/generated/prisma/enums";
import type { ContainerStatus } from "@/lib/provisioner/docker/types";

/** Statuses meaning someone stopped the workspace on purpose: a stopped or missing container is expected. */
export const DELIBERATELY_STOPPED: readonly WorkspaceStatus[] = ["paused", "hibernated", "hibernating"];

/** Statuses live state never overwrites: deliberate stops and the removed tombstone. */
export const NOT_OBSERVED: readonly WorkspaceStatus[] = [...DELIBERATELY_STOPPED, "removed"];

/** The status a row should have for this container; `current` is the row's status (null when adopting). */
export function statusForContainer(
  state: ContainerStatus,
  unhealthy: boolean,
  current: WorkspaceStatus | null,
): WorkspaceStatus {
  switch (state) {
    case "running":
      return unhealthy ? "degraded" : "online";
    case "paused":
      return "paused";
    case "restarting":
      return "degraded"; // crash-looping under its restart policy: alive now and then, not healthy
    default: // created, exited, dead, removing
      return current !== null && DELIBERATELY_STOPPED.includes(current) ? current : "down";
  }
}

/** The status a row should have when its container no longer exists. */
export function statusForMissingContainer(current: WorkspaceStatus): WorkspaceStatus {
  return DELIBERATELY_STOPPED.includes(current) ? current : "down";
}

/**
 * True when Docker's human status says the healthcheck failed, e.g. "Up 3 minutes (unhealthy)".
 * The container list reports health only there; reading it avoids one inspect per container.
 */
export function isUnhealthy(statusText: string): boolean {
  return statusText.includes("(unhealthy)");
}
