import "server-only";

import { getDb } from "@/lib/db/client";
import {
  cancelQueuedItems,
  finishOperationIfDone,
  readItemJobState,
  startOperationIfQueued,
} from "@/lib/db/operations/queue-lifecycle";
import { recordItemResult, markItemRunning, type ItemResult } from "@/lib/db/operations/run-lifecycle";
import { describeWorkspaceState, errorMessage, isFleetpinError, workspaceStateOf } from "@/lib/domain/errors";
import { hostOfWorkspaces } from "@/lib/hosts/hosts";
import { jobLog } from "@/lib/jobs/job-log";
import { conciseError, type RunOperationDeps } from "@/lib/operations/run-operation";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { dockerClientForHost } from "@/lib/provisioner/docker/hosts";
import { reprovisionWorkspace } from "@/lib/provisioner/reprovision/reprovision";

import { LOCAL_HOST } from "./host-of-workspace";
import { resolverFor, forgetResolver } from "./operation-resolvers";
import { takeOverItem } from "./take-over-item";

/** The payload of an `operations.item` job. */
export type ItemJobData = { operationId: string; itemId: string };

/**
 * Runs one operation item as a job. The operation's rows stay the record: the item runs only if
 * its conditional claim (queued → running) succeeds here, a cancel seen by any job cancels every
 * item not started yet, and whichever job ends the last item finishes the operation (once).
 * An item found `running` was started by an attempt that died (its worker was killed, or its
 * job's heartbeat lapsed): takeOverItem waits for that attempt's lock to go stale, lets the repair
 * pass settle its swap, and re-runs it only when the workspace is not on its target yet.
 * Throws only when the database fails, so pg-boss retries the job.
 */
export async function runItemJob(data: ItemJobData, deps: RunOperationDeps = {}): Promise<void> {
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
  let result: ItemResult | null = null;
  const env = deps.env ?? process.env;
  // The workspace's own engine: a bulk run over several hosts pulls once per host (onEngine).
  const host = (await hostOfWorkspaces(db, [state.workspace_id])).get(state.workspace_id) ?? LOCAL_HOST;
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
  };
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
async function reprovisionItem(workspaceId: string, run: RunArgs, deps: RunOperationDeps): Promise<ItemResult> {
  try {
    const done = await (deps.reprovision ?? reprovisionWorkspace)(workspaceId, run);
    return { status: "succeeded", fromDigest: done.fromDigest, toDigest: done.toDigest, image: done.image };
  } catch (error) {
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
