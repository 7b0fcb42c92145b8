import "server-only";

import { randomUUID } from "node:crypto";

import type { Env } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import { activeOperationIds, operationForQueue, unfinishedItems } from "@/lib/db/operations/queue-lifecycle";
import { errorMessage } from "@/lib/domain/errors";
import { hostOfWorkspaces, listHosts } from "@/lib/hosts/hosts";
import { jobLog } from "@/lib/jobs/job-log";
import { cancelJobs, queuedJobs, sendJob } from "@/lib/jobs/runner";
import { LOCAL_HOST_NAME } from "@/lib/schemas/host";

import type { ItemJobData } from "./item-job";
import { assignSlots, hostConcurrency, operationOffset } from "./slots";

/**
 * Re-assigns the slots of `host`'s items still waiting in the queue after its concurrency changed.
 * Slot keys are fixed when an operation is queued (`<host>:<slot>`, slot < the limit then), so
 * without this a lowered limit would still run items on the old, higher slots, and a raised one
 * would never use the new slots. Each waiting job whose key differs from the new assignment is
 * cancelled and sent again under the new key (a fresh job id). A job already running finishes its
 * item on its old slot, so right after a lowering the host can run up to the old limit until those
 * end. Items are never run twice: a job runs its item only through the item's conditional claim.
 * Returns the number of jobs moved.
 */
export async function reslotHost(host: string, deps: { db?: Db; env?: Env } = {}): Promise<number> {
  const db = deps.db ?? (await getDb());
  const limit = hostConcurrency(deps.env);
  const registered = (await listHosts(db)).find((row) => row.name === host)?.concurrency ?? limit;
  const hostLimit = Math.min(limit, registered);
  let moved = 0;
  for (const operationId of await activeOperationIds(db)) {
    const operation = await operationForQueue(db, operationId);
    if (!operation || operation.kind === "sync") continue;
    const items = await unfinishedItems(db, operationId);
    const hostOf = await hostOfWorkspaces(
      db,
      items.map((item) => item.workspace_id),
    );
    const ofHost = items.filter((item) => (hostOf.get(item.workspace_id) ?? LOCAL_HOST_NAME) === host);
    const keys = assignSlots(
      ofHost.map(() => ({ host })),
      {
        concurrency: operation.concurrency,
        hostLimit: () => hostLimit,
        offset: (width) => operationOffset(operationId, width),
      },
    );
    for (const [index, item] of ofHost.entries()) {
      const data: ItemJobData = { operationId, itemId: item.id, slot: keys[index]! };
      const waiting = await queuedJobs("operations.item", { operationId, itemId: item.id });
      if (waiting.length === 0 || waiting.every((job) => job.singletonKey === keys[index])) continue;
      await cancelJobs(
        "operations.item",
        waiting.map((job) => job.id),
      );
      await sendJob("operations.item", data, { id: randomUUID(), singletonKey: keys[index]! });
      moved++;
    }
  }
  if (moved > 0) jobLog("info", "bulk", { event: "host_reslotted", host, limit: hostLimit, moved });
  return moved;
}

/** reslotHost for a settings edit: a failure is logged, never thrown into the edit that succeeded. */
export async function reslotHostQuietly(host: string): Promise<void> {
  await reslotHost(host).catch((error: unknown) => {
    jobLog("error", "bulk", { event: "host_not_reslotted", host, error: errorMessage(error) });
  });
}
