/**
 * Docker names and labels of workspace containers and volumes (seed provisioner.go). These must
 * match what the platform creates byte for byte, or Fleetpin will not find the fleet.
 */

/** Label stamped on every container and explicitly created volume the platform manages. */
export const LABEL_MANAGED = "molecule.platform.managed";
/** Label carrying the full workspace ID (a Fleetpin addition; names only carry 12 chars). */
export const LABEL_WORKSPACE_ID = "molecule.workspace.id";
/** Label carrying the template / runtime name (a Fleetpin addition). */
export const LABEL_TEMPLATE = "molecule.workspace.template";

const NAME_PREFIX = "ws-";

// The seed cut IDs to 12 bytes; IDs are ASCII UUIDs, where bytes and UTF-16 units agree.
function shortId(workspaceId: string): string {
  return workspaceId.slice(0, 12);
}

/** `ws-` + the first 12 characters of the workspace ID. */
export function containerName(workspaceId: string): string {
  return `${NAME_PREFIX}${shortId(workspaceId)}`;
}

/** `ws-<id12>-configs`, the volume mounted at /configs. */
export function configVolumeName(workspaceId: string): string {
  return `${NAME_PREFIX}${shortId(workspaceId)}-configs`;
}

/** `ws-<id12>-claude-sessions`, the claude-code session volume (kept apart from configs so it can be reset alone). */
export function claudeSessionsVolumeName(workspaceId: string): string {
  return `${NAME_PREFIX}${shortId(workspaceId)}-claude-sessions`;
}

/** `ws-<FULL id>-workspace`: unlike the other names the seed never cut this one to 12 characters. */
export function workspaceVolumeName(workspaceId: string): string {
  return `${NAME_PREFIX}${workspaceId}-workspace`;
}

/** Labels Fleetpin puts on a workspace container (a type alias, not an interface, so it stays assignable to `Record<string, string>`). */
export type WorkspaceLabels = {
  [LABEL_MANAGED]: "true";
  [LABEL_WORKSPACE_ID]: string;
  [LABEL_TEMPLATE]: string;
};

/**
 * Labels for a workspace container; the seed set only LABEL_MANAGED, the other two let Fleetpin map containers back
 * without parsing names.
 */
export function workspaceLabels(workspaceId: string, template: string): WorkspaceLabels {
  return {
    [LABEL_MANAGED]: "true",
    [LABEL_WORKSPACE_ID]: workspaceId,
    [LABEL_TEMPLATE]: template,
  };
}
