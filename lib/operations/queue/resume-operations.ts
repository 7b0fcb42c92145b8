import "server-only";

import type { Db } from "@/lib/db/client";
import { activeOperationIds, operationForQueue, unfinishedItems } from "@/lib/db/operations/queue-lifecycle";
import { recoverInterruptedOperations } from "@/lib/db/operations/recover-interrupted-operations";

import { jobIdFor, queueOperation } from "./queue-operation";
import { anyJobLive } from "./work-operations";

/**
 * Start-up, once the job runner is up. An active operation with a job still waiting or running
 * in pg-boss is being run (here or by another process; a dead worker's item comes back through its
 * job's heartbeat): its missing jobs, if any, are sent. A queued one with none never got its jobs
 * (its process died right after the enqueue): they are sent now. A running one with none is run
 * by nobody any more (its jobs gave up, or an older in-process run died): it is closed as
 * interrupted, its locks released, so the repair pass that follows settles its swaps.
 */
export async function resumeOperations(db: Db): Promise<{ resumed: string[]; closed: string[] }> {
  const resumed: string[] = [];
  const orphans: string[] = [];
  for (const id of await activeOperationIds(db)) {
    const operation = await operationForQueue(db, id);
    if (!operation) continue;
    const live =
      operation.kind === "sync"
        ? await anyJobLive("operations.sync", [jobIdFor(`sync:${id}`)])
        : await anyJobLive(
            "operations.item",
            (await unfinishedItems(db, id)).map((item) => jobIdFor(`item:${item.id}`)),
          );
    if (live || operation.status === "queued") {
      await queueOperation(id, { db });
      resumed.push(id);
    } else {
      orphans.push(id);
    }
  }
  const closed = orphans.length ? await recoverInterruptedOperations(db, orphans) : [];
  return { resumed, closed };
}
