import "server-only";

import { randomUUID } from "node:crypto";

import { workersConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import {
  cancelQueuedItems,
  finishOperationIfDone,
  readItemJobState,
  startOperationIfQueued,
} from "@/lib/db/operations/queue-lifecycle";
import { recordItemResult, markItemRunning, type ItemResult } from "@/lib/db/operations/run-lifecycle";
import {
  describeWorkspaceState,
  DockerUnavailableError,
  errorMessage,
  isFleetpinError,
  workspaceStateOf,
} from "@/lib/domain/errors";
import { hostOfWorkspaces } from "@/lib/hosts/hosts";
import { jobLog } from "@/lib/jobs/job-log";
import { sendJob } from "@/lib/jobs/runner";
import { conciseError, type RunOperationDeps } from "@/lib/operations/run-operation";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { dockerClientForHost } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { reprovisionWorkspace } from "@/lib/provisioner/reprovision/reprovision";
import { LOCAL_HOST_NAME } from "@/lib/schemas/host";

import { resolverFor, forgetResolver } from "./operation-resolvers";
import { slotKey } from "./slots";
import { takeOverItem } from "./take-over-item";

/** The payload of an `operations.item` job; `slot` is its singletonKey (`<host>:<slot>`), to send it again under. */
export type ItemJobData = { operationId: string; itemId: string; slot?: string };

/** How long an item whose host does not answer waits before it is tried again (FLEETPIN_UNREACHABLE_HOST=wait). */
export const UNREACHABLE_HOST_RETRY_SECONDS = 10;

/** What a job adds to the run's deps: whether it still holds its slot (see holdsSlot in work-operations.ts). */
export type ItemJobDeps = RunOperationDeps & { holdsSlot?: () => Promise<boolean> };

/** The job's slot went to someone else mid-run; the item is left for the attempt that holds it now. */
class SlotLostError extends Error {
  constructor() {
    super("this job no longer holds its host slot");
    this.name = "SlotLostError";
  }
}

/**
 * Runs one operation item as a job. The operation's rows stay the record: the item runs only if
 * its conditional claim (queued → running) succeeds here, a cancel seen by any job cancels every
 * item not started yet, and whichever job ends the last item finishes the operation (once).
 * An item found `running` was started by an attempt that died (its worker was killed, or its
 * job's heartbeat lapsed): takeOverItem waits for that attempt's lock to go stale, lets the repair
 * pass settle its swap, and re-runs it only when the workspace is not on its target yet.
 * Throws only when the database fails, so pg-boss retries the job.
 */
export async function runItemJob(data: ItemJobData, deps: ItemJobDeps = {}): Promise<void> {
  const db = deps.db ?? (await getDb());
  const { operationId, itemId } = data;
  await startOperationIfQueued(db, operationId);
  const state = await readItemJobState(db, itemId);
  if (!state || state.operation_status !== "running") return;
  if (state.item_status === "queued" && state.cancel_requested) {
    await cancelQueuedItems(db, operationId);
    await finish(db, operationId);
    return;
  }
  // A job whose heartbeat lapsed no longer holds its slot: another job of the slot may be running on
  // the host now, so this one touches nothing (its retry, which holds the slot, runs the item).
  const holdsSlot = deps.holdsSlot ?? (async () => true);
  if (!(await holdsSlot())) {
    jobLog("warn", "bulk", { event: "slot_lost", operationId, itemId, before: "start", pid: process.pid });
    return;
  }
  let result: ItemResult | typeof SLOT_LOST | null = null;
  const env = deps.env;
  // The workspace's own engine: a bulk run over several hosts pulls once per host (onEngine).
  const host = (await hostOfWorkspaces(db, [state.workspace_id])).get(state.workspace_id) ?? LOCAL_HOST_NAME;
  const docker =
    deps.docker ?? (await (deps.dockerForHost ?? ((name: string) => dockerClientForHost(name, { db, env })))(host));
  const run = {
    db,
    docker,
    env,
    actor: state.requested_by,
    resolver: resolverFor(operationId, {
      db,
      docker: deps.docker ?? getDockerClient(),
      env,
      targetDigest: state.target_digest,
    }).onEngine(docker),
    operationItemId: itemId,
    reason: state.reason,
    // Checked again just before the container is touched (after the pull, which may take long).
    beforeSwap: async () => {
      if (!(await holdsSlot())) throw new SlotLostError();
    },
  };
  if (state.item_status === "queued" && (await waitsForHost(host, docker, data, deps))) return;
  if (state.item_status === "queued") {
    if (await markItemRunning(db, itemId)) {
      jobLog("info", "bulk", {
        event: "item_started",
        operationId,
        itemId,
        workspaceId: state.workspace_id,
        pid: process.pid,
      });
      result = await reprovisionItem(state.workspace_id, run, deps);
    }
  } else if (state.item_status === "running") {
    jobLog("warn", "bulk", { event: "item_taken_over", operationId, itemId, workspaceId: state.workspace_id });
    result = await takeOverItem({ ...run, workspaceId: state.workspace_id, fromDigest: state.from_digest }, () =>
      reprovisionItem(state.workspace_id, run, deps),
    );
  }
  if (result === SLOT_LOST) {
    // Left `running` with its workspace at rest: the attempt holding the slot takes it over and runs it.
    jobLog("warn", "bulk", { event: "slot_lost", operationId, itemId, before: "swap", pid: process.pid });
    return;
  }
  if (result) {
    await recordItemResult(db, itemId, result);
    jobLog("info", "bulk", { event: "item_ended", operationId, itemId, status: result.status, pid: process.pid });
  }
  await finish(db, operationId);
}

async function finish(db: Parameters<typeof finishOperationIfDone>[0], operationId: string): Promise<void> {
  const status = await finishOperationIfDone(db, operationId);
  if (status) {
    forgetResolver(operationId);
    jobLog("info", "bulk", { event: "operation_finished", operationId, status });
  }
}

type RunArgs = Parameters<typeof reprovisionWorkspace>[1];

/** One reprovision, its failure turned into the item's error and outcome (never thrown). */
const SLOT_LOST = Symbol("slot lost");

async function reprovisionItem(
  workspaceId: string,
  run: RunArgs,
  deps: RunOperationDeps,
): Promise<ItemResult | typeof SLOT_LOST> {
  try {
    const done = await (deps.reprovision ?? reprovisionWorkspace)(workspaceId, run);
    return { status: "succeeded", fromDigest: done.fromDigest, toDigest: done.toDigest, image: done.image };
  } catch (error) {
    if (error instanceof SlotLostError) return SLOT_LOST;
    if (!isFleetpinError(error)) {
      jobLog("error", "bulk", {
        event: "item_crashed",
        itemId: String(run.operationItemId),
        workspaceId,
        error: errorMessage(error),
      });
    }
    return {
      status: "failed",
      error: conciseError(error) || "failed without a message",
      outcome: describeWorkspaceState(workspaceStateOf(error)),
    };
  }
}

/**
 * FLEETPIN_UNREACHABLE_HOST=wait: an item whose host does not answer is not started (so not
 * failed): the job is sent again for later under the same slot and this one ends. The item stays
 * queued, the others of the operation go on, and a cancel still stops it. `fail` (the default)
 * lets the run fail it saying the host is unreachable.
 */
async function waitsForHost(
  host: string,
  docker: DockerClient,
  data: ItemJobData,
  deps: ItemJobDeps,
): Promise<boolean> {
  if (workersConfig(deps.env).unreachableHost !== "wait") return false;
  const unreachable = await docker.ping().then(
    () => false,
    (error: unknown) => error instanceof DockerUnavailableError,
  );
  if (!unreachable) return false;
  await sendJob("operations.item", data, {
    id: randomUUID(),
    singletonKey: data.slot ?? slotKey(host, 0),
    startAfter: UNREACHABLE_HOST_RETRY_SECONDS,
  });
  jobLog("warn", "bulk", { event: "item_waits_for_host", operationId: data.operationId, itemId: data.itemId, host });
  return true;
}
