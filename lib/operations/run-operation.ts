import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import { getDb, type Db } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { failUnfinishedItems } from "@/lib/db/operations/fail-unfinished-items";
import { CANCELLED_ITEM_OUTCOME, SUCCEEDED_ITEM_OUTCOME } from "@/lib/db/operations/item-outcomes";
import { finalStatus } from "@/lib/db/operations/operation-status";
import { recountOperation } from "@/lib/db/operations/recount-operation";
import { MAX_CONCURRENCY } from "@/lib/db/operations/resolve-concurrency";
import { describeWorkspaceState, errorMessage, isFleetpinError, workspaceStateOf } from "@/lib/domain/errors";
import type { OperationStatus } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/domain/is-uuid";
import { getLogger } from "@/lib/log/logger";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { createImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import type { Env } from "@/lib/config";
import { reprovisionWorkspace, type ReprovisionDeps, type ReprovisionResult } from "@/lib/provisioner/reprovision/reprovision";
import { syncFromDocker, type SyncDeps, type SyncResult } from "@/lib/provisioner/sync/sync";
import { syncReport } from "@/lib/provisioner/sync/report";

/** Reprovisions one workspace; reprovisionWorkspace unless a test injects another. */
export type ReprovisionWorker = (workspaceId: string, deps: ReprovisionDeps) => Promise<ReprovisionResult>;

/** Syncs rows with Docker; syncFromDocker unless a test injects another. */
export type SyncWorker = (deps: SyncDeps) => Promise<SyncResult>;

/** What the runner uses; everything defaults to the real thing (process database, DOCKER_HOST daemon). */
export interface RunOperationDeps {
  db?: Db;
  docker?: DockerClient;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
  reprovision?: ReprovisionWorker;
  sync?: SyncWorker;
}

type Claimed = { kind: string; requested_by: string; reason: string | null; concurrency: number };
type Item = { id: string; workspace_id: string };
type Context = { id: string; db: Db; deps: RunOperationDeps; claimed: Claimed };

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
    // The conditional UPDATE is the claim: of two runners (or a runner and a cancel), one wins.
    const [row] = await db.$queryRaw<Claimed[]>`
      UPDATE operations SET status = 'running', started_at = now()
      WHERE id = ${operationId}::uuid AND status = 'queued'
      RETURNING kind, requested_by, reason, concurrency`;
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
  const items = await db.$queryRaw<Item[]>`
    SELECT id::text AS id, workspace_id::text AS workspace_id
    FROM operation_items WHERE operation_id = ${id}::uuid AND status = 'queued' ORDER BY id`;
  const { env } = deps;
  const docker = deps.docker ?? getDockerClient();
  // One resolver for the whole run: one digest per template, one pull per image.
  const resolver = createImageResolver({ db, docker, ...(env ? { env } : {}) });
  const reprovision = deps.reprovision ?? reprovisionWorkspace;
  const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, claimed.concurrency || 1));

  let next = 0;
  let cancelled = false;
  let fatal: unknown;

  const worker = async () => {
    while (!cancelled && fatal === undefined) {
      if (await cancelRequested(db, id)) {
        cancelled = true;
        return;
      }
      const item = items[next++];
      if (!item) return;
      if (!(await markRunning(db, item))) continue;
      let outcome: Outcome;
      try {
        const result = await reprovision(item.workspace_id, {
          db,
          docker,
          actor: claimed.requested_by,
          resolver,
          env,
          operationItemId: item.id,
          reason: claimed.reason,
        });
        outcome = { status: "succeeded", result };
      } catch (error) {
        if (!isFleetpinError(error)) {
          log("error", { event: "item_crashed", operationId: id, workspaceId: item.workspace_id, error: errorMessage(error), stack: stackOf(error) });
        }
        // The error says what went wrong; the outcome where that left the workspace (unknown unless the error knows).
        outcome = { status: "failed", error: conciseError(error) || "failed without a message", outcome: describeWorkspaceState(workspaceStateOf(error)) };
      }
      await finishItem(db, item, outcome);
    }
  };

  const workers = Array.from({ length: Math.min(concurrency, Math.max(1, items.length)) }, () =>
    worker().catch((error: unknown) => {
      // A failed progress write: stop taking items, let the others finish theirs.
      fatal ??= error;
    }),
  );
  await Promise.all(workers);
  if (fatal !== undefined) throw fatal;
  return finalizeItems(context, cancelled);
}

type Outcome = { status: "succeeded"; result: ReprovisionResult } | { status: "failed"; error: string; outcome: string };

async function cancelRequested(db: Db, id: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ cancel_requested: boolean }[]>`SELECT cancel_requested FROM operations WHERE id = ${id}::uuid`;
  return row?.cancel_requested ?? true;
}

// Records the digest the workspace runs before we touch it, so even a failed item shows where it stood.
async function markRunning(db: Db, item: Item): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE operation_items i SET status = 'running', started_at = now(), from_digest = w.runtime_image_digest
    FROM workspaces w
    WHERE i.id = ${item.id}::bigint AND w.id = i.workspace_id AND i.status = 'queued'`;
  return count === 1;
}

// One statement per item: the pages count items by status (countOperationItems), so progress
// is exact at every poll; the operation's own counters are set from the items when it ends.
async function finishItem(db: Db, item: Item, outcome: Outcome): Promise<void> {
  if (outcome.status === "succeeded") {
    const { result } = outcome;
    await db.$executeRaw`
      UPDATE operation_items
      SET status = 'succeeded', from_digest = coalesce(${result.fromDigest}, from_digest), to_digest = ${result.toDigest},
          image = ${result.image}, error = NULL, outcome = ${SUCCEEDED_ITEM_OUTCOME}, finished_at = now()
      WHERE id = ${item.id}::bigint`;
  } else {
    await db.$executeRaw`
      UPDATE operation_items SET status = 'failed', error = ${outcome.error}, outcome = ${outcome.outcome}, finished_at = now()
      WHERE id = ${item.id}::bigint`;
  }
}

async function finalizeItems(context: Context, cancelled: boolean): Promise<OperationStatus> {
  const { db, id, claimed } = context;
  return db.$transaction(async (tx) => {
    const skipped = cancelled
      ? await tx.$executeRaw`
          UPDATE operation_items SET status = 'cancelled', outcome = ${CANCELLED_ITEM_OUTCOME}, finished_at = now()
          WHERE operation_id = ${id}::uuid AND status = 'queued'`
      : 0;
    const counters = await recountOperation(tx, id);
    // A cancel that came after the last item started cancelled nothing: the status says what
    // happened, and the page reads cancelled_by / cancelled_at to say the cancel came too late.
    const status: OperationStatus = skipped > 0 ? "cancelled" : finalStatus(counters.succeeded, counters.failed);
    await tx.$executeRaw`
      UPDATE operations SET status = ${status}::operation_status, finished_at = now() WHERE id = ${id}::uuid`;
    await recordAudit(tx, {
      actor: claimed.requested_by,
      action: "operation.finished",
      targetType: "operation",
      targetId: id,
      reason: claimed.reason,
      after: { kind: claimed.kind, status, ...counters, cancelled: skipped },
    });
    return status;
  });
}

async function runSync(context: Context): Promise<OperationStatus> {
  const { db, id, deps, claimed } = context;
  const docker = deps.docker ?? getDockerClient();
  const result = await (deps.sync ?? syncFromDocker)({ db, docker, actor: claimed.requested_by });
  const succeeded = result.adopted.length + result.updated.length + result.missing.length;
  const failed = result.errors.length;
  const status = finalStatus(succeeded, failed);
  // Sync has no items: each failure and each container left alone is listed in the operation's error, none dropped.
  const error = syncReport(result, succeeded);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE operations SET status = ${status}::operation_status, total = ${succeeded + failed}, succeeded = ${succeeded},
             failed = ${failed}, error = ${error}, finished_at = now()
      WHERE id = ${id}::uuid`;
    await recordAudit(tx, {
      actor: claimed.requested_by,
      action: "operation.finished",
      targetType: "operation",
      targetId: id,
      after: {
        kind: "sync",
        status,
        adopted: result.adopted.length,
        updated: result.updated.length,
        missing: result.missing.length,
        skipped: result.skipped.length,
        failed,
      },
    });
  });
  return status;
}

/** Best effort after the run itself broke: every unfinished item fails with the reason, so none is silently lost. */
async function abortOperation(db: Db, operationId: string, error: unknown): Promise<OperationStatus | null> {
  const reason = `operation aborted: ${conciseError(error) || "unknown error"}`;
  try {
    return await db.$transaction(async (tx) => {
      const { counters } = await failUnfinishedItems(tx, operationId, reason);
      const status: OperationStatus = counters.succeeded > 0 ? "partially_failed" : "failed";
      await tx.$executeRaw`
        UPDATE operations SET status = ${status}::operation_status, error = ${reason}, finished_at = now()
        WHERE id = ${operationId}::uuid AND status IN ('queued', 'running')`;
      return status;
    });
  } catch (recordError) {
    // The database itself is gone; recoverInterruptedOperations closes it on the next start.
    log("error", { event: "abort_not_recorded", operationId, error: errorMessage(error), recordError: errorMessage(recordError) });
    return null;
  }
}

// Stored for operators: typed errors as they are, database outages in their one clear
// wording, anything else on one line without Prisma's call-site preamble.
function conciseError(error: unknown): string {
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

/** One line of the bulk runner, from a child logger bound to the operation (and workspace) it is about. */
function log(level: "info" | "error", { operationId, workspaceId, ...fields }: Record<string, unknown>): void {
  const bindings = {
    source: "bulk",
    ...(operationId !== undefined ? { operationId: String(operationId) } : {}),
    ...(workspaceId !== undefined ? { workspaceId: String(workspaceId) } : {}),
  };
  getLogger(bindings)[level](fields, String(fields.event ?? ""));
}
