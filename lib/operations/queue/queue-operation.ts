import "server-only";

import { createHash } from "node:crypto";

import type { Env } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import {
  finishOperationIfDone,
  operationForQueue,
  startOperationIfQueued,
  unfinishedItems,
} from "@/lib/db/operations/queue-lifecycle";
import { errorMessage } from "@/lib/domain/errors";
import { hostOfWorkspaces, listHosts } from "@/lib/hosts/hosts";
import { jobLog } from "@/lib/jobs/job-log";
import { sendJob, sendJobs } from "@/lib/jobs/runner";
import { LOCAL_HOST_NAME } from "@/lib/schemas/host";

import type { ItemJobData } from "./item-job";
import { assignSlots, hostConcurrency, operationOffset } from "./slots";

/**
 * Hands a queued operation to the job queue: one `operations.item` job per item (a sync, which has
 * no items, is one `operations.sync` job). Per item rather than one job per operation so that the
 * items of one operation spread over every worker process, a killed worker gives back only the
 * item it was running (through the job's heartbeat), and the per-host limit is a property of each
 * job (its slot key) rather than of one process's loop.
 *
 * Job ids are derived from the item ids, so queueing an operation again (at start-up, after a
 * crash between the enqueue and this call) adds only the jobs that are missing. Returns the
 * number of jobs sent.
 */
export async function queueOperation(operationId: string, deps: { db?: Db; env?: Env } = {}): Promise<number> {
  const db = deps.db ?? (await getDb());
  const operation = await operationForQueue(db, operationId);
  if (!operation || (operation.status !== "queued" && operation.status !== "running")) return 0;
  if (operation.kind === "sync") {
    return (await sendJob("operations.sync", { operationId }, { id: jobIdFor(`sync:${operationId}`) })) ? 1 : 0;
  }
  const items = await unfinishedItems(db, operationId);
  if (items.length === 0) {
    // Every workspace was busy elsewhere (all items skipped): nothing to run, the operation ends now.
    await startOperationIfQueued(db, operationId);
    await finishOperationIfDone(db, operationId);
    return 0;
  }
  // Each workspace's recorded host, and each host's limit: the lower of its registration and FLEETPIN_HOST_CONCURRENCY.
  const hostOf = await hostOfWorkspaces(
    db,
    items.map((item) => item.workspace_id),
  );
  const limit = hostConcurrency(deps.env);
  const registered = new Map((await listHosts(db)).map((host) => [host.name, host.concurrency]));
  const keys = assignSlots(
    items.map((item) => ({ host: hostOf.get(item.workspace_id) ?? LOCAL_HOST_NAME })),
    {
      concurrency: operation.concurrency,
      hostLimit: (host) => Math.min(limit, registered.get(host) ?? limit),
      offset: (limit) => operationOffset(operationId, limit),
    },
  );
  // One statement for all of them: the workers are woken once, with every job already there.
  return sendJobs(
    "operations.item",
    items.map((item, index) => {
      const data: ItemJobData = { operationId, itemId: item.id, slot: keys[index]! };
      return { data, id: jobIdFor(`item:${item.id}`), singletonKey: keys[index]! };
    }),
  );
}

/**
 * queueOperation detached, for server actions: returns at once and never throws. A failure is
 * logged; the operation stays queued and the next start-up queues it again.
 */
export function startQueuedOperation(operationId: string): void {
  queueOperation(operationId).catch((error: unknown) => {
    jobLog("error", "bulk", { event: "operation_not_queued", operationId, error: errorMessage(error) });
  });
}

/** A stable job id (UUID-shaped, as pg-boss wants) for `name`. */
export function jobIdFor(name: string): string {
  const hex = createHash("sha256").update(`fleetpin:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
