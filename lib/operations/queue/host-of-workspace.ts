/**
 * The Docker host a workspace runs on. One engine today (DOCKER_HOST), named `local`; the hosts
 * work (issue #16, many Docker hosts) replaces this with the host recorded on the workspace.
 * No I/O.
 */
export const LOCAL_HOST = "local";

export function hostOfWorkspace(_workspace: { id: string }): string {
  return LOCAL_HOST;
}
