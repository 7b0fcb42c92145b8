import "server-only";

import { getDb, type Db } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { MAX_CONCURRENCY } from "@/lib/db/operations/resolve-concurrency";
import {
  abortOperationRecord,
  claimOperation,
  finishItemsOperation,
  finishSyncOperation,
  isCancelRequested,
  markItemRunning,
  queuedItems,
  recordItemResult,
  type ClaimedOperation,
  type ItemResult,
  type QueuedItem,
} from "@/lib/db/operations/run-lifecycle";
import { describeWorkspaceState, errorMessage, isFleetpinError, workspaceStateOf } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import type { EnvSource } from "@/lib/domain/runtimes";
import type { OperationStatus } from "@/lib/generated/prisma/client";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { createImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import { reprovisionWorkspace, type ReprovisionDeps, type ReprovisionResult } from "@/lib/provisioner/reprovision/reprovision";
import { syncReport } from "@/lib/provisioner/sync/report";
import { syncFromDocker, type SyncDeps, type SyncResult } from "@/lib/provisioner/sync/sync";
import { mapLimit } from "@/lib/util/map-limit";

/** Reprovisions one workspace; reprovisionWorkspace unless a test injects another. */
export type ReprovisionWorker = (workspaceId: string, deps: ReprovisionDeps) => Promise<ReprovisionResult>;

/** Syncs rows with Docker; syncFromDocker unless a test injects another. */
export type SyncWorker = (deps: SyncDeps) => Promise<SyncResult>;

/** What the runner uses; everything defaults to the real thing (process database, DOCKER_HOST daemon). */
export interface RunOperationDeps {
  db?: Db;
  docker?: DockerClient;
  env?: EnvSource;
  reprovision?: ReprovisionWorker;
  sync?: SyncWorker;
}

type Context = { id: string; db: Db; deps: RunOperationDeps; claimed: ClaimedOperation };

/**
 * Runs a queued operation in the background of this process and returns at
 * once; never throws into the caller. Progress lands in the database as each
 * item finishes (pages poll getOperationProgress); any failure of the run itself
 * is logged and recorded on the operation.
 */
export function startOperation(operationId: string, deps: RunOperationDeps = {}): void {
  void runOperation(operationId, deps);
}

/**
 * Claims and runs a queued operation to its end; resolves with its final status,
 * or null when it was not this call's to run (unknown, already claimed or finished).
 * Never rejects.
 */
export async function runOperation(operationId: string, deps: RunOperationDeps = {}): Promise<OperationStatus | null> {
  if (!isUuid(operationId)) {
    log("error", { event: "invalid_operation_id", operationId });
    return null;
  }
  let db: Db | undefined = deps.db;
  let claimed = false;
  try {
    db ??= await getDb();
    const row = await claimOperation(db, operationId);
    if (!row) {
      log("info", { event: "operation_not_claimed", operationId });
      return null;
    }
    claimed = true;
    const context: Context = { id: operationId, db, deps, claimed: row };
    return row.kind === "sync" ? await runSync(context) : await runItems(context);
  } catch (error) {
    log("error", { event: "operation_crashed", operationId, error: errorMessage(error), stack: stackOf(error) });
    if (!db || !claimed) return null;
    return abortOperation(db, operationId, error);
  }
}

async function runItems(context: Context): Promise<OperationStatus> {
  const { db, id, deps, claimed } = context;
  const items = await queuedItems(db, id);
  const env = deps.env ?? process.env;
  const docker = deps.docker ?? getDockerClient();
  // One resolver for the whole run: one digest per template, one pull per image.
  const resolver = createImageResolver({ db, docker, env });
  const reprovision = deps.reprovision ?? reprovisionWorkspace;
  const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, claimed.concurrency || 1));
  let cancelled = false;

  // mapLimit stops starting items after a failed progress write and rethrows it once the
  // running ones are done; a cancel is checked before each item and skips the rest.
  await mapLimit(items, concurrency, async (item: QueuedItem) => {
    if (cancelled || (await isCancelRequested(db, id))) {
      cancelled = true;
      return;
    }
    if (!(await markItemRunning(db, item.id))) return;
    let result: ItemResult;
    try {
      const run = await reprovision(item.workspace_id, {
        db,
        docker,
        actor: claimed.requested_by,
        resolver,
        env,
        operationItemId: item.id,
        reason: claimed.reason,
      });
      result = { status: "succeeded", fromDigest: run.fromDigest, toDigest: run.toDigest, image: run.image };
    } catch (error) {
      if (!isFleetpinError(error)) {
        log("error", { event: "item_crashed", operationId: id, workspaceId: item.workspace_id, error: errorMessage(error), stack: stackOf(error) });
      }
      // The error says what went wrong; the outcome where that left the workspace (unknown unless the error knows).
      result = {
        status: "failed",
        error: conciseError(error) || "failed without a message",
        outcome: describeWorkspaceState(workspaceStateOf(error)),
      };
    }
    await recordItemResult(db, item.id, result);
  });
  return finishItemsOperation(db, id, claimed, cancelled);
}

async function runSync(context: Context): Promise<OperationStatus> {
  const { db, id, deps, claimed } = context;
  const docker = deps.docker ?? getDockerClient();
  const result = await (deps.sync ?? syncFromDocker)({ db, docker, actor: claimed.requested_by });
  const succeeded = result.adopted.length + result.updated.length + result.missing.length;
  // Sync has no items: each failure and each container left alone is listed in the operation's error, none dropped.
  const counts = {
    adopted: result.adopted.length,
    updated: result.updated.length,
    missing: result.missing.length,
    skipped: result.skipped.length,
    failed: result.errors.length,
  };
  return finishSyncOperation(db, id, claimed, counts, syncReport(result, succeeded));
}

/** Best effort after the run itself broke: every unfinished item fails with the reason, so none is silently lost. */
async function abortOperation(db: Db, operationId: string, error: unknown): Promise<OperationStatus | null> {
  const reason = `operation aborted: ${conciseError(error) || "unknown error"}`;
  try {
    return await abortOperationRecord(db, operationId, reason);
  } catch (recordError) {
    // The database itself is gone; recoverInterruptedOperations closes it on the next start.
    log("error", { event: "abort_not_recorded", operationId, error: errorMessage(error), recordError: errorMessage(recordError) });
    return null;
  }
}

// Stored for operators: typed errors as they are, database outages in their one clear
// wording, anything else on one line without Prisma's call-site preamble.
export function conciseError(error: unknown): string {
  const translated = translateDatabaseError(error, "the configured database");
  if (isFleetpinError(translated)) return translated.message;
  return errorMessage(error)
    .replace(/Invalid `[^`]*` invocation:/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function log(level: "info" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, source: "bulk", ...fields });
  if (level === "error") console.error(line);
  else console.info(line);
}
