import "server-only";

import type { Env } from "@/lib/config";
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
import type { OperationStatus } from "@/lib/generated/prisma/client";
import { hostOfWorkspaces, listHosts } from "@/lib/hosts/hosts";
import { getLogger } from "@/lib/log/logger";
import { getDockerClient } from "@/lib/provisioner/docker/client";
import { dockerClientForHost } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { createImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import {
  reprovisionWorkspace,
  type ReprovisionDeps,
  type ReprovisionResult,
} from "@/lib/provisioner/reprovision/reprovision";
import { syncReport } from "@/lib/provisioner/sync/report";
import { syncFromDocker, type SyncDeps, type SyncResult } from "@/lib/provisioner/sync/sync";
import { syncAllHosts } from "@/lib/provisioner/sync/sync-all-hosts";
import { mapLimit } from "@/lib/util/map-limit";

import { groupByHost, hostErrorMessage, runGroups } from "./host-groups";

/** Reprovisions one workspace; reprovisionWorkspace unless a test injects another. */
export type ReprovisionWorker = (workspaceId: string, deps: ReprovisionDeps) => Promise<ReprovisionResult>;

/** Syncs rows with Docker; syncFromDocker unless a test injects another. */
export type SyncWorker = (deps: SyncDeps) => Promise<SyncResult>;

/** What the runner uses; everything defaults to the real thing (process database, each workspace's host). */
export interface RunOperationDeps {
  db?: Db;
  /** One engine for every item (tests, the bench); otherwise each item's workspace host's client. */
  docker?: DockerClient;
  /** The client of a host by name; dockerClientForHost unless a test injects another. */
  dockerForHost?: (host: string) => Promise<DockerClient>;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
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
  const { env } = deps;
  const clientFor = hostClients(db, deps);
  // One resolver for the whole run: one digest per template; pulls once per host per image (onEngine).
  const resolver = createImageResolver({
    db,
    docker: deps.docker ?? getDockerClient(),
    ...(env ? { env } : {}),
    targetDigest: claimed.target_digest,
  });
  const reprovision = deps.reprovision ?? reprovisionWorkspace;
  const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, claimed.concurrency || 1));
  const hostOf = await hostOfWorkspaces(
    db,
    items.map((item) => item.workspace_id),
  );
  const hostLimits = new Map((await listHosts(db)).map((host) => [host.name, host.concurrency]));
  const groups = groupByHost(
    items,
    (item) => hostOf.get(item.workspace_id),
    concurrency,
    (host) => hostLimits.get(host),
  );
  let cancelled = false;

  // Hosts run side by side, each with its own limit (host-groups.ts). mapLimit stops starting a
  // host's items after a failed progress write and rethrows it once the running ones are done;
  // a cancel is checked before each item and skips the rest.
  await runGroups(groups, (group) =>
    mapLimit(group.items, group.limit, async (item: QueuedItem) => {
      if (cancelled || (await isCancelRequested(db, id))) {
        cancelled = true;
        return;
      }
      if (!(await markItemRunning(db, item.id))) return;
      let result: ItemResult;
      try {
        const docker = await clientFor(group.host);
        const run = await reprovision(item.workspace_id, {
          db,
          docker,
          actor: claimed.requested_by,
          resolver: resolver.onEngine(docker),
          env,
          operationItemId: item.id,
          reason: claimed.reason,
        });
        result = { status: "succeeded", fromDigest: run.fromDigest, toDigest: run.toDigest, image: run.image };
      } catch (error) {
        if (!isFleetpinError(error)) {
          log("error", {
            event: "item_crashed",
            operationId: id,
            workspaceId: item.workspace_id,
            error: errorMessage(error),
            stack: stackOf(error),
          });
        }
        // The error says what went wrong; the outcome where that left the workspace (unknown unless the error knows).
        result = {
          status: "failed",
          error: hostErrorMessage(group.host, error, conciseError(error)) || "failed without a message",
          outcome: describeWorkspaceState(workspaceStateOf(error)),
        };
      }
      await recordItemResult(db, item.id, result);
    }).then(() => undefined),
  );
  return finishItemsOperation(db, id, claimed, cancelled);
}

async function runSync(context: Context): Promise<OperationStatus> {
  const { db, id, deps, claimed } = context;
  // One engine when a test injects one; otherwise every host, side by side (sync-all-hosts.ts).
  const result = deps.docker
    ? await (deps.sync ?? syncFromDocker)({ db, docker: deps.docker, actor: claimed.requested_by })
    : await syncAllHosts({ db, actor: claimed.requested_by, clientFor: hostClients(db, deps), sync: deps.sync });
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

function hostClients(db: Db, deps: RunOperationDeps): (host: string) => Promise<DockerClient> {
  if (deps.dockerForHost) return deps.dockerForHost;
  if (deps.docker) return async () => deps.docker!;
  return (host) => dockerClientForHost(host, { db, env: deps.env });
}

/** Best effort after the run itself broke: every unfinished item fails with the reason, so none is silently lost. */
async function abortOperation(db: Db, operationId: string, error: unknown): Promise<OperationStatus | null> {
  const reason = `operation aborted: ${conciseError(error) || "unknown error"}`;
  try {
    return await abortOperationRecord(db, operationId, reason);
  } catch (recordError) {
    // The database itself is gone; recoverInterruptedOperations closes it on the next start.
    log("error", {
      event: "abort_not_recorded",
      operationId,
      error: errorMessage(error),
      recordError: errorMessage(recordError),
    });
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

/** One line of the bulk runner, from a child logger bound to the operation (and workspace) it is about. */
function log(level: "info" | "error", { operationId, workspaceId, ...fields }: Record<string, unknown>): void {
  const bindings = {
    source: "bulk",
    ...(operationId !== undefined ? { operationId: String(operationId) } : {}),
    ...(workspaceId !== undefined ? { workspaceId: String(workspaceId) } : {}),
  };
  getLogger(bindings)[level](fields, String(fields.event ?? ""));
}
