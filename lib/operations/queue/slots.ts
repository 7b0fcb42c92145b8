/**
 * Which slot an operation item runs in. pg-boss runs at most one job per singletonKey at a time
 * (queue policy `singleton`), across every process on the database; the key is `<host>:<slot>`
 * with slot < the host's limit, so no more than that many items run on one host, whatever the
 * number of processes or operations. An operation with concurrency c below the host's limit uses
 * only c of the host's slots, so it never runs more than c items at once either.
 *
 * Items are spread over their slots round-robin when the operation is queued (a static split:
 * a slow item delays the items behind it in its slot, never the others). Each operation starts at
 * a slot of its own (`offset`), so two small operations at once do not queue behind one slot.
 * No I/O.
 */
import { type Env, workersConfig } from "@/lib/config";

/**
 * FLEETPIN_HOST_CONCURRENCY (default 4, 1–64): how many items may run at once on one Docker host.
 * Read through the config module like every setting, so a wrong value stops the process with a
 * message naming the variable instead of silently falling back; `env` for callers with their own.
 */
export function hostConcurrency(env?: Env): number {
  return workersConfig(env).hostConcurrency;
}

/** The singletonKey of one slot of one host. */
export function slotKey(host: string, slot: number): string {
  return `${host}:${slot}`;
}

/** A stable offset in [0, hostLimit) from the operation id, so operations spread over the slots. */
export function operationOffset(operationId: string, hostLimit: number): number {
  let hash = 0;
  for (const char of operationId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % hostLimit;
}

/**
 * The slot key of each item, in order. `items` carry their host; `concurrency` is the
 * operation's; `hostLimit(host)` the host's. Items of one host take that host's slots in turn.
 */
export function assignSlots(
  items: readonly { host: string }[],
  options: { concurrency: number; hostLimit: (host: string) => number; offset: (hostLimit: number) => number },
): string[] {
  const seen = new Map<string, number>();
  return items.map(({ host }) => {
    const limit = Math.max(1, options.hostLimit(host));
    const width = Math.max(1, Math.min(options.concurrency, limit));
    const index = seen.get(host) ?? 0;
    seen.set(host, index + 1);
    return slotKey(host, (options.offset(limit) + (index % width)) % limit);
  });
}

/** The most items one process may be asked to run at once (FLEETPIN_WORKER_CONCURRENCY's ceiling). */
export const MAX_PROCESS_CONCURRENCY = 256;

/**
 * How many items one process runs at once: FLEETPIN_WORKER_CONCURRENCY when set, else every slot
 * of every registered host (the host limit times the hosts, at least one host), so a single
 * process can keep all hosts busy. The slot keys, not this number, hold the per-host limit.
 */
export function processConcurrency(options: { fixed: number | null; hostLimit: number; hosts: number }): number {
  if (options.fixed !== null) return options.fixed;
  return Math.min(MAX_PROCESS_CONCURRENCY, options.hostLimit * Math.max(1, options.hosts));
}
