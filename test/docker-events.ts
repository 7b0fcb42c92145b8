// Docker's own record of what happened to containers, read back from `docker events` between two
// daemon timestamps: tests count creates per workspace and in-flight items from it, in the order
// the daemon emitted the events (never from the test's own clock).
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

import { LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";

import { dockerCli } from "./images";
import { waitFor } from "./wait-for";

const runDocker = promisify(execFile);

export type ContainerEvent = { action: string; name: string; workspaceId: string | undefined; timeNano: number };

/** The daemon's current time, to pass as `since` / `until`. */
export async function daemonTime(): Promise<string> {
  return (await dockerCli(["system", "info", "--format", "{{json .SystemTime}}"])).trim().replace(/"/g, "");
}

/** Container events between `since` and `until`, in the daemon's order. */
export async function containerEvents(since: string, until: string): Promise<ContainerEvent[]> {
  const out = await dockerCli([
    "events",
    "--since",
    since,
    "--until",
    until,
    "--filter",
    "type=container",
    "--format",
    "{{json .}}",
  ]);
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map(parseEvent);
}

function parseEvent(line: string): ContainerEvent {
  const event = JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } };
  return {
    action: event.Action,
    name: event.Actor.Attributes.name ?? "",
    workspaceId: event.Actor.Attributes[LABEL_WORKSPACE_ID],
    timeNano: event.timeNano,
  };
}

/**
 * Follows container events live from now on. dockerd keeps only its last 256 events for a
 * `--since` query, fewer than a bulk run of 60 workspaces emits, so long runs are recorded as they
 * happen. `stop` creates an end marker container, waits until the stream has delivered it (so no
 * event before it is missing) and returns everything in the daemon's order. `dockerHost`: another
 * engine than DOCKER_HOST (its unix socket), for runs over several hosts.
 */
export async function followContainerEvents(
  dockerHost?: string,
): Promise<{ stop: (markerImage: string) => Promise<ContainerEvent[]> }> {
  const env = dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env;
  const cli = async (args: string[]) =>
    dockerHost ? (await runDocker("docker", args, { env, maxBuffer: 16 * 1024 * 1024 })).stdout : dockerCli(args);
  const since = (await cli(["system", "info", "--format", "{{json .SystemTime}}"])).trim().replace(/"/g, "");
  const child = spawn("docker", ["events", "--since", since, "--filter", "type=container", "--format", "{{json .}}"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffer = "";
  const events: ContainerEvent[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") events.push(parseEvent(line));
  });
  return {
    stop: async (markerImage) => {
      const marker = `events-end-${Math.random().toString(16).slice(2, 10)}`;
      await cli(["create", "--name", marker, "--network", "none", markerImage]);
      try {
        await waitFor(
          async () => events.some((event) => event.name === marker),
          "the end marker in the event stream",
          60_000,
        );
      } finally {
        child.kill("SIGTERM");
        await cli(["rm", "-f", marker]).catch(() => undefined);
      }
      return events.slice(
        0,
        events.findIndex((event) => event.name === marker),
      );
    },
  };
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

/** Workspaces whose events span the kill marker: an item the killed process started and another process finished. */
export function spanning(events: readonly ContainerEvent[], marker: string): Set<string> {
  const at = events.findIndex((event) => event.name === marker);
  const span = new Map<string, [number, number]>();
  events.forEach((event, index) => {
    if (!event.workspaceId) return;
    const [first] = span.get(event.workspaceId) ?? [index, index];
    span.set(event.workspaceId, [first, index]);
  });
  return new Set([...span].filter(([, [first, last]]) => first < at && at < last).map(([id]) => id));
}

/** How often `needle` occurs in `text` (a process's log lines). */
export function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
