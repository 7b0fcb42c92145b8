import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { staleWhere } from "@/lib/db/workspaces";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { Prisma, type OperationItemStatus, type OperationStatus } from "@/lib/generated/prisma/client";
import { normalizeReason } from "@/lib/pins/reason";

/** What an operation does: one workspace, many workspaces, or a sync with Docker. */
export type OperationKind = "reprovision" | "bulk_reprovision" | "sync";

/** One workspace's result within an operation. */
export type OperationItemProgress = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  status: OperationItemStatus;
  fromDigest: string | null;
  toDigest: string | null;
  image: string | null;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** An operation's state and counters, without its items (the Recent operations list). */
export type OperationSummary = {
  id: string;
  kind: string;
  status: OperationStatus;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  queued: number;
  running: number;
  /** Finished share of the items, 0–100 (100 for a finished operation without items). */
  percent: number;
  cancelRequested: boolean;
  templateName: string | null;
  reason: string | null;
  requestedBy: string;
  concurrency: number;
  /** Why the operation as a whole failed or what went wrong in a sync; item errors are on the items. */
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/**
 * An operation with its items: every failed item first, then running ones, then
 * the rest in order, up to `itemLimit`; `itemsOmitted` says how many were left out.
 */
export type OperationProgress = OperationSummary & { items: OperationItemProgress[]; itemsOmitted: number };

export type EnqueueReprovisionInput = {
  workspaceIds?: string[];
  template?: string;
  allStale?: boolean;
  reason?: string | null;
  concurrency?: number;
};

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_ITEM_LIMIT = 500;
/** The error recorded on items and operations that a process exit cut short. */
export const INTERRUPTED_ERROR = "interrupted by a restart";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIT_ID_LIMIT = 100;
const ACTIVE = ["queued", "running"] as const;

/**
 * Records a reprovision of the given workspaces, or of every stale workspace
 * (`allStale`, of `template` or of all templates), as a queued operation with one
 * item per workspace, plus its audit row, in one transaction. With `workspaceIds`,
 * `template` is ignored. Nothing runs yet: the caller starts it with startOperation.
 * Explicit ids already queued or running elsewhere are a ConflictError; "all stale"
 * leaves such workspaces to the operation that has them.
 */
export async function enqueueReprovision(
  db: Db,
  input: EnqueueReprovisionInput,
  actor: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ operationId: string; total: number }> {
  const reason = normalizeReason(input.reason ?? "", { optional: true });
  const concurrency = resolveConcurrency(input.concurrency, env);
  const ids = input.workspaceIds ? uniqueIds(input.workspaceIds) : [];
  if (ids.length === 0 && !input.allStale) {
    throw new ValidationError("Nothing to reprovision: pick workspaces or choose all stale ones.");
  }

  return db.$transaction(async (tx) => {
    if (ids.length > 0) return enqueueIds(tx, ids, { actor, reason, concurrency, template: input.template });
    return enqueueStale(tx, { actor, reason, concurrency, template: input.template });
  });
}

/** Records a queued "sync from Docker" operation and its audit row. */
export async function enqueueSync(db: Db, actor: string): Promise<{ operationId: string }> {
  return db.$transaction(async (tx) => {
    const operation = await tx.operation.create({ data: { kind: "sync", requestedBy: actor, concurrency: 1 } });
    await recordAudit(tx, {
      actor,
      action: "operation.sync_requested",
      targetType: "operation",
      targetId: operation.id,
      after: { kind: "sync" },
    });
    return { operationId: operation.id };
  });
}

/**
 * Asks an operation to stop. A queued one is cancelled at once; a running one
 * finishes the items already running and cancels the rest (the runner checks the
 * flag between items). Asking twice is harmless; a finished operation is a ConflictError.
 */
export async function cancelOperation(
  db: Db,
  operationId: string,
  actor: string,
): Promise<{ operationId: string; status: OperationStatus; cancelRequested: true }> {
  if (!UUID.test(operationId)) throw new NotFoundError(`Operation ${operationId} not found.`);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: OperationStatus; cancel_requested: boolean }[]>`
      SELECT status::text AS status, cancel_requested FROM operations WHERE id = ${operationId}::uuid FOR UPDATE`;
    if (!row) throw new NotFoundError(`Operation ${operationId} not found.`);
    if (!(ACTIVE as readonly string[]).includes(row.status)) {
      throw new ConflictError(`The operation already finished (${row.status.replace("_", " ")}); there is nothing to cancel.`);
    }
    if (row.cancel_requested) return { operationId, status: row.status, cancelRequested: true as const };

    let status: OperationStatus = row.status;
    if (row.status === "queued") {
      // Not claimed by a runner yet (the claim is a conditional UPDATE on status = 'queued'), so nothing will run.
      await tx.$executeRaw`
        UPDATE operation_items SET status = 'cancelled', finished_at = now()
        WHERE operation_id = ${operationId}::uuid AND status = 'queued'`;
      await tx.$executeRaw`
        UPDATE operations SET status = 'cancelled', cancel_requested = true, finished_at = now() WHERE id = ${operationId}::uuid`;
      status = "cancelled";
    } else {
      await tx.$executeRaw`UPDATE operations SET cancel_requested = true WHERE id = ${operationId}::uuid`;
    }
    await recordAudit(tx, {
      actor,
      action: "operation.cancel_requested",
      targetType: "operation",
      targetId: operationId,
      before: { status: row.status },
      after: { status, cancelRequested: true },
    });
    return { operationId, status, cancelRequested: true as const };
  });
}

/** One operation with its counters and items (see OperationProgress), or null when there is none. */
export async function getOperationProgress(
  db: Db,
  operationId: string,
  options: { itemLimit?: number } = {},
): Promise<OperationProgress | null> {
  if (!UUID.test(operationId)) return null;
  const operation = await db.operation.findUnique({ where: { id: operationId } });
  if (!operation) return null;
  const limit = Math.max(1, Math.trunc(options.itemLimit ?? DEFAULT_ITEM_LIMIT));
  const [counts, items] = await Promise.all([
    itemCounts(db, [operationId]),
    db.$queryRaw<RawItem[]>`
      SELECT i.id::text AS id, i.workspace_id::text AS workspace_id, w.name AS workspace_name, i.status::text AS status,
             i.from_digest, i.to_digest, i.image, i.error, i.started_at, i.finished_at
      FROM operation_items i JOIN workspaces w ON w.id = i.workspace_id
      WHERE i.operation_id = ${operationId}::uuid
      ORDER BY (i.status = 'failed') DESC, (i.status = 'running') DESC, i.id
      LIMIT ${limit}`,
  ]);
  const summary = toSummary(operation, counts.get(operationId));
  return {
    ...summary,
    items: items.map((item) => ({
      id: item.id,
      workspaceId: item.workspace_id,
      workspaceName: item.workspace_name,
      status: item.status,
      fromDigest: item.from_digest,
      toDigest: item.to_digest,
      image: item.image,
      error: item.error,
      startedAt: item.started_at,
      finishedAt: item.finished_at,
    })),
    itemsOmitted: Math.max(0, summary.total - items.length),
  };
}

/** The latest operations, newest first, with their counters (two queries whatever the limit). */
export async function listRecentOperations(db: Db, limit = 20): Promise<OperationSummary[]> {
  const operations = await db.operation.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(200, Math.max(1, Math.trunc(limit) || 20)),
  });
  const counts = await itemCounts(
    db,
    operations.map((operation) => operation.id),
  );
  return operations.map((operation) => toSummary(operation, counts.get(operation.id)));
}

/**
 * On process start: operations a previous process left queued or running will
 * never be finished by it. Their unfinished items fail with INTERRUPTED_ERROR,
 * the workspace locks those items held are released, counters are recounted and
 * the operation gets its final status. Returns the ids it closed.
 * Assumes one Fleetpin process per database (the PGlite default guarantees it).
 */
export async function recoverInterruptedOperations(db: Db): Promise<string[]> {
  const open = await db.operation.findMany({ where: { status: { in: [...ACTIVE] } }, select: { id: true } });
  const closed: string[] = [];
  for (const { id } of open) {
    const done = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ status: OperationStatus; cancel_requested: boolean; requested_by: string }[]>`
        SELECT status::text AS status, cancel_requested, requested_by FROM operations WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row || !(ACTIVE as readonly string[]).includes(row.status)) return false;
      const interrupted = await tx.$queryRaw<{ id: string; workspace_id: string }[]>`
        UPDATE operation_items SET status = 'failed', error = ${INTERRUPTED_ERROR}, finished_at = now()
        WHERE operation_id = ${id}::uuid AND status IN ('queued', 'running')
        RETURNING id::text AS id, workspace_id::text AS workspace_id`;
      if (interrupted.length > 0) {
        // reprovisionWorkspace locks a workspace with its operation item id as the token.
        await tx.$executeRaw`
          UPDATE workspaces SET locked_by = NULL, locked_at = NULL
          WHERE locked_by IN (${Prisma.join(interrupted.map((item) => item.id))})`;
      }
      const counters = await recountOperation(tx, id);
      const status = row.cancel_requested ? "cancelled" : finalStatus(counters.succeeded, counters.failed);
      await tx.$executeRaw`
        UPDATE operations SET status = ${status}::operation_status, error = ${INTERRUPTED_ERROR}, finished_at = now()
        WHERE id = ${id}::uuid`;
      await recordAudit(tx, {
        actor: "system",
        action: "operation.interrupted",
        targetType: "operation",
        targetId: id,
        reason: INTERRUPTED_ERROR,
        before: { status: row.status },
        after: { status, interruptedItems: interrupted.length, ...counters },
      });
      return true;
    });
    if (done) closed.push(id);
  }
  return closed;
}

/** The operation's final status from its item outcomes: all fine, none fine, or some of each. */
export function finalStatus(succeeded: number, failed: number): OperationStatus {
  if (failed === 0) return "succeeded";
  return succeeded === 0 ? "failed" : "partially_failed";
}

/** Sets the operation's succeeded/failed counters from its items; returns them. */
export async function recountOperation(tx: Prisma.TransactionClient | Db, operationId: string): Promise<{ succeeded: number; failed: number }> {
  const [row] = await tx.$queryRaw<{ succeeded: number; failed: number }[]>`
    UPDATE operations o SET
      succeeded = (SELECT count(*)::int FROM operation_items WHERE operation_id = o.id AND status = 'succeeded'),
      failed = (SELECT count(*)::int FROM operation_items WHERE operation_id = o.id AND status = 'failed')
    WHERE o.id = ${operationId}::uuid
    RETURNING o.succeeded, o.failed`;
  return row ?? { succeeded: 0, failed: 0 };
}

/** The concurrency to record: the request, else FLEETPIN_BULK_CONCURRENCY, else DEFAULT_CONCURRENCY. */
export function resolveConcurrency(requested: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_CONCURRENCY) {
      const message = `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}.`;
      throw new ValidationError(message, { concurrency: [message] });
    }
    return requested;
  }
  const fromEnv = Number.parseInt(env.FLEETPIN_BULK_CONCURRENCY ?? "", 10);
  // A bad env value must not stop reprovisioning; it is logged and the default used.
  if (env.FLEETPIN_BULK_CONCURRENCY && !(fromEnv >= 1 && fromEnv <= MAX_CONCURRENCY)) {
    console.warn(JSON.stringify({ level: "warn", source: "operations", event: "bad_bulk_concurrency", value: env.FLEETPIN_BULK_CONCURRENCY }));
    return DEFAULT_CONCURRENCY;
  }
  return Number.isFinite(fromEnv) ? fromEnv : DEFAULT_CONCURRENCY;
}

type Tx = Prisma.TransactionClient;
type EnqueueContext = { actor: string; reason: string | null; concurrency: number; template: string | undefined };

async function enqueueIds(tx: Tx, ids: string[], context: EnqueueContext): Promise<{ operationId: string; total: number }> {
  const rows = await tx.workspace.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, runtime: true, status: true } });
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new NotFoundError(`Workspace${missing.length === 1 ? "" : "s"} not found: ${missing.slice(0, 10).join(", ")}.`);
  const removed = rows.filter((row) => row.status === "removed");
  if (removed.length > 0) {
    throw new ValidationError(`Removed workspaces cannot be reprovisioned: ${removed.slice(0, 10).map((row) => row.name).join(", ")}.`);
  }
  const busy = await tx.$queryRaw<{ name: string; operation_id: string }[]>`
    SELECT w.name, i.operation_id::text AS operation_id
    FROM operation_items i JOIN workspaces w ON w.id = i.workspace_id
    WHERE i.workspace_id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}) AND i.status IN ('queued', 'running')
    LIMIT 10`;
  if (busy.length > 0) {
    const list = busy.map((row) => `${row.name} (operation ${row.operation_id})`).join(", ");
    throw new ConflictError(`Already queued or running in another operation: ${list}. Wait for it or cancel it first.`);
  }
  const runtimes = new Set(rows.map((row) => row.runtime));
  const templateName = runtimes.size === 1 ? [...runtimes][0]! : null;
  const operation = await tx.operation.create({
    data: {
      kind: ids.length === 1 ? "reprovision" : "bulk_reprovision",
      requestedBy: context.actor,
      templateName,
      reason: context.reason,
      concurrency: context.concurrency,
      total: ids.length,
    },
  });
  await tx.operationItem.createMany({ data: ids.map((workspaceId) => ({ operationId: operation.id, workspaceId })) });
  await audit(tx, operation.id, context, { kind: operation.kind, total: ids.length, workspaceIds: ids.slice(0, AUDIT_ID_LIMIT) }, templateName);
  return { operationId: operation.id, total: ids.length };
}

async function enqueueStale(tx: Tx, context: EnqueueContext): Promise<{ operationId: string; total: number }> {
  const template = context.template?.trim() || undefined;
  const operation = await tx.operation.create({
    data: {
      kind: "bulk_reprovision",
      requestedBy: context.actor,
      templateName: template ?? null,
      reason: context.reason,
      concurrency: context.concurrency,
    },
  });
  // One INSERT … SELECT: "all stale" may be tens of thousands of rows.
  const total = await tx.$executeRaw`
    INSERT INTO operation_items (operation_id, workspace_id)
    SELECT ${operation.id}::uuid, w.id
    FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE ${Prisma.join(staleWhere(template), " AND ")}
      AND NOT EXISTS (
        SELECT 1 FROM operation_items i WHERE i.workspace_id = w.id AND i.status IN ('queued', 'running')
      )
    ORDER BY w.created_at, w.id`;
  if (total === 0) {
    const [pending] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime
      WHERE ${Prisma.join(staleWhere(template), " AND ")}`;
    const scope = template ? `stale workspaces of ${template}` : "stale workspaces";
    throw new ValidationError(
      pending && pending.n > 0
        ? `Nothing to reprovision: all ${pending.n} ${scope} are already queued or running in another operation.`
        : `Nothing to reprovision: there are no ${scope}.`,
    );
  }
  await tx.operation.update({ where: { id: operation.id }, data: { total } });
  await audit(tx, operation.id, context, { kind: operation.kind, total, allStale: true, template: template ?? null }, template ?? null);
  return { operationId: operation.id, total };
}

async function audit(tx: Tx, operationId: string, context: EnqueueContext, after: Prisma.InputJsonObject, templateName: string | null) {
  await recordAudit(tx, {
    actor: context.actor,
    action: "operation.reprovision_requested",
    targetType: "operation",
    targetId: operationId,
    templateName,
    reason: context.reason,
    after: { ...after, concurrency: context.concurrency },
  });
}

function uniqueIds(ids: string[]): string[] {
  const unique = [...new Set(ids.map((id) => id.trim().toLowerCase()).filter((id) => id !== ""))];
  const invalid = unique.filter((id) => !UUID.test(id));
  if (invalid.length > 0) {
    const message = `Not a workspace id: ${invalid.slice(0, 5).join(", ")}.`;
    throw new ValidationError(message, { workspaceIds: [message] });
  }
  return unique;
}

type RawItem = {
  id: string;
  workspace_id: string;
  workspace_name: string;
  status: OperationItemStatus;
  from_digest: string | null;
  to_digest: string | null;
  image: string | null;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
};

type Counts = Partial<Record<OperationItemStatus, number>>;

async function itemCounts(db: Db, operationIds: string[]): Promise<Map<string, Counts>> {
  const byOperation = new Map<string, Counts>();
  if (operationIds.length === 0) return byOperation;
  const rows = await db.$queryRaw<{ operation_id: string; status: OperationItemStatus; n: number }[]>`
    SELECT operation_id::text AS operation_id, status::text AS status, count(*)::int AS n
    FROM operation_items
    WHERE operation_id IN (${Prisma.join(operationIds.map((id) => Prisma.sql`${id}::uuid`))})
    GROUP BY operation_id, status`;
  for (const row of rows) {
    const counts = byOperation.get(row.operation_id) ?? {};
    counts[row.status] = row.n;
    byOperation.set(row.operation_id, counts);
  }
  return byOperation;
}

type OperationRow = {
  id: string;
  kind: string;
  status: OperationStatus;
  requestedBy: string;
  templateName: string | null;
  reason: string | null;
  concurrency: number;
  total: number;
  succeeded: number;
  failed: number;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

function toSummary(operation: OperationRow, counts: Counts = {}): OperationSummary {
  const cancelled = counts.cancelled ?? 0;
  const skipped = counts.skipped ?? 0;
  const finished = operation.succeeded + operation.failed + cancelled + skipped;
  const terminal = !(ACTIVE as readonly string[]).includes(operation.status);
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    total: operation.total,
    succeeded: operation.succeeded,
    failed: operation.failed,
    cancelled,
    skipped,
    queued: counts.queued ?? 0,
    running: counts.running ?? 0,
    percent: operation.total > 0 ? Math.min(100, Math.floor((finished / operation.total) * 100)) : terminal ? 100 : 0,
    cancelRequested: operation.cancelRequested,
    templateName: operation.templateName,
    reason: operation.reason,
    requestedBy: operation.requestedBy,
    concurrency: operation.concurrency,
    error: operation.error,
    createdAt: operation.createdAt,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
  };
}
