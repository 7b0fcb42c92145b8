// Docker's own record of what happened to containers, read back from `docker events` between two
// daemon timestamps: tests count creates per workspace and in-flight items from it, in the order
// the daemon emitted the events (never from the test's own clock).
import { LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import { dockerCli } from "./images";

export type ContainerEvent = { action: string; name: string; workspaceId: string | undefined; timeNano: number };

/** The daemon's current time, to pass as `since` / `until`. */
export async function daemonTime(): Promise<string> {
  return (await dockerCli(["system", "info", "--format", "{{json .SystemTime}}"])).trim().replace(/"/g, "");
}

/** Container events between `since` and `until`, in the daemon's order. */
export async function containerEvents(since: string, until: string): Promise<ContainerEvent[]> {
  const out = await dockerCli(["events", "--since", since, "--until", until, "--filter", "type=container", "--format", "{{json .}}"]);
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const event = JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } };
      return { action: event.Action, name: event.Actor.Attributes.name ?? "", workspaceId: event.Actor.Attributes[LABEL_WORKSPACE_ID], timeNano: event.timeNano };
    });
}

/**
 * The most items in flight at once: an item is in flight from its workspace's first container
 * event (stopping the old container) to its last (removing it), in event order. Workspaces in
 * `exclude` are left out (an item a killed worker left and another finished later spans the gap).
 */
export function maxInFlight(events: readonly ContainerEvent[], exclude: ReadonlySet<string> = new Set()): number {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  events.forEach((event, index) => {
    if (!event.workspaceId || exclude.has(event.workspaceId)) return;
    if (!first.has(event.workspaceId)) first.set(event.workspaceId, index);
    last.set(event.workspaceId, index);
  });
  let open = 0;
  let peak = 0;
  events.forEach((event, index) => {
    const id = event.workspaceId;
    if (!id || !first.has(id)) return;
    if (first.get(id) === index) peak = Math.max(peak, ++open);
    if (last.get(id) === index) open--;
  });
  return peak;
}
