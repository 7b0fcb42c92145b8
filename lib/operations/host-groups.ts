import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";

/** Items of one host, and how many of them may run at once there. */
export interface HostGroup<T> {
  host: string;
  items: T[];
  limit: number;
}

/**
 * Splits a run's items by their workspace's host (no I/O). Each host runs its own items in
 * parallel with the others, so a slow or dead engine never holds another host's items back;
 * within a host at most min(the operation's concurrency, the host's own limit) run at once.
 * Hosts come in the order their first item does; an item whose workspace has no known host is
 * `local`'s (the default column value).
 */
export function groupByHost<T>(
  items: readonly T[],
  hostOf: (item: T) => string | undefined,
  operationLimit: number,
  hostLimit: (host: string) => number | undefined,
): HostGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const host = hostOf(item) ?? "local";
    const group = groups.get(host);
    if (group) group.push(item);
    else groups.set(host, [item]);
  }
  return [...groups].map(([host, grouped]) => ({
    host,
    items: grouped,
    limit: Math.max(1, Math.min(operationLimit, hostLimit(host) ?? operationLimit)),
  }));
}

/** An item's error as stored: an unreachable engine says which host, so operators see at once which items wait on it. */
export function hostErrorMessage(host: string, error: unknown, message: string): string {
  if (!causedByUnreachableEngine(error) || message.includes(`"${host}"`)) return message;
  return `Docker host "${host}" is unreachable: ${message || errorMessage(error)}`;
}

// A reprovision wraps the engine's error (ReprovisionFailedError, cause = DockerUnavailableError).
function causedByUnreachableEngine(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof DockerUnavailableError) return true;
  }
  return false;
}

/** Runs every group at once and waits for all; rethrows the first failure after they have all ended. */
export async function runGroups<T>(groups: HostGroup<T>[], run: (group: HostGroup<T>) => Promise<void>): Promise<void> {
  const settled = await Promise.allSettled(groups.map(run));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) throw failed.reason;
}
