import "server-only";

import { type Env, reprovisionConfig } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { refuseDuringRollout } from "@/lib/db/rollouts/guard";
import { activeRingTargetOf } from "@/lib/db/rollouts/ring-target";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import { normalizeReason } from "@/lib/domain/reason";
import type { BulkScope } from "@/lib/domain/reprovision-preview";
import { Prisma } from "@/lib/generated/prisma/client";

import { bulkScopeCandidates, bulkScopeLabel, type Scope } from "./bulk-scopes";
import { insertOperationItems, listSkippedWorkspaces, type SkippedWorkspace } from "./insert-operation-items";
import { resolveConcurrency } from "./resolve-concurrency";
import { retryScope } from "./retry-scope";

/**
 * What to reprovision: explicit workspace ids, every stale workspace (`allStale`), every
 * workspace seen down (`allDown`), each of `template` or of all, or the failed workspaces
 * of a finished operation (`retryOf`).
 */
export type EnqueueReprovisionInput = {
  workspaceIds?: string[];
  template?: string;
  allStale?: boolean;
  allDown?: boolean;
  retryOf?: string;
  reason?: string | null;
  concurrency?: number;
  /** Reprovision to this digest instead of the pin (a rollout's ring or its rollback). */
  targetDigest?: string | null;
  /** The rollout enqueueing its own ring: exempt from the "template has an active rollout" refusal. */
  rolloutId?: string | null;
};

/**
 * The queued operation: `total` items, of which `queued` will run and `skipped` were left to
 * the other operation already queued or running them (`skippedWorkspaces` names the first few).
 */
export type EnqueueReprovisionResult = {
  operationId: string;
  total: number;
  queued: number;
  skipped: number;
  skippedWorkspaces: SkippedWorkspace[];
};

const AUDIT_ID_LIMIT = 100;

/**
 * Records a reprovision of the given workspaces, or of every stale workspace
 * (`allStale`, of `template` or of all templates), as a queued operation with one
 * item per workspace, plus its audit row, in one transaction. With `workspaceIds`,
 * `template` is ignored. Nothing runs yet: the caller starts it with startOperation.
 * One run per workspace: a workspace already queued or running in another operation
 * gets a `skipped` item here (see insertOperationItems); when that leaves nothing to
 * run, nothing is recorded and the caller gets a ConflictError (explicit ids) or a
 * ValidationError (a scope) saying so.
 */
export async function enqueueReprovision(
  db: Db,
  input: EnqueueReprovisionInput,
  actor: string,
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env,
): Promise<EnqueueReprovisionResult> {
  return db.$transaction((tx) => enqueueReprovisionTx(tx, input, actor, env));
}

/** enqueueReprovision inside the caller's transaction (a rollout starts a ring and records it in one). */
export async function enqueueReprovisionTx(
  tx: Tx,
  input: EnqueueReprovisionInput,
  actor: string,
  env?: Env,
): Promise<EnqueueReprovisionResult> {
  const reason = normalizeReason(input.reason ?? "", { optional: true });
  const concurrency = resolveConcurrency(input.concurrency, reprovisionConfig(env));
  const ids = input.workspaceIds ? uniqueIds(input.workspaceIds) : [];
  if (ids.length === 0 && !input.allStale && !input.allDown && !input.retryOf) {
    throw new ValidationError("Nothing to reprovision: pick workspaces or choose all stale or all down ones.");
  }
  const targetDigest = input.targetDigest ?? null;
  const context: EnqueueContext = { actor, reason, concurrency, targetDigest, rolloutId: input.rolloutId ?? null };
  if (ids.length > 0) return enqueueIds(tx, ids, context);
  if (input.retryOf) return enqueueScope(tx, context, await retryScope(tx, input.retryOf));
  const scope: BulkScope = { kind: input.allDown ? "down" : "stale", template: input.template?.trim() || undefined };
  return enqueueScope(tx, context, {
    kind: "bulk_reprovision",
    templateName: scope.template ?? null,
    candidates: bulkScopeCandidates(scope),
    what: bulkScopeLabel(scope),
    audit: { [input.allDown ? "allDown" : "allStale"]: true, template: scope.template ?? null },
  });
}

type Tx = Prisma.TransactionClient;
type EnqueueContext = {
  actor: string;
  reason: string | null;
  concurrency: number;
  targetDigest: string | null;
  rolloutId: string | null;
};

async function enqueueScope(tx: Tx, context: EnqueueContext, scope: Scope): Promise<EnqueueReprovisionResult> {
  // A rollout owns its template's fleet; a bulk run of that template would move every ring at once.
  if (scope.templateName !== null && context.rolloutId === null) {
    await refuseDuringRollout(tx, scope.templateName, "reprovisioning its workspaces in bulk");
  }
  const operationId = await createOperation(tx, context, scope);
  const { queued, skipped } = await insertOperationItems(tx, operationId, scope.candidates);
  if (queued === 0) {
    // Throwing rolls the operation back: an operation with nothing to run is not recorded.
    throw new ValidationError(
      skipped > 0
        ? `Nothing to reprovision: all ${skipped} ${scope.what} are already queued or running in another operation.`
        : `Nothing to reprovision: there are no ${scope.what}.`,
    );
  }
  return finish(tx, operationId, context, scope, { queued, skipped });
}

async function enqueueIds(tx: Tx, ids: string[], context: EnqueueContext): Promise<EnqueueReprovisionResult> {
  const rows = await tx.workspace.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, runtime: true, status: true },
  });
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new NotFoundError(
      `Workspace${missing.length === 1 ? "" : "s"} not found: ${missing.slice(0, 10).join(", ")}.`,
    );
  const removed = rows.filter((row) => row.status === "removed");
  if (removed.length > 0) {
    throw new ValidationError(
      `Removed workspaces cannot be reprovisioned: ${removed
        .slice(0, 10)
        .map((row) => row.name)
        .join(", ")}.`,
    );
  }
  const runtimes = new Set(rows.map((row) => row.runtime));
  if (context.rolloutId === null) context = await rolloutAwareContext(tx, ids, runtimes, context);
  const idList = Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`));
  const scope: Scope = {
    kind: ids.length === 1 ? "reprovision" : "bulk_reprovision",
    templateName: runtimes.size === 1 ? [...runtimes][0]! : null,
    candidates: Prisma.sql`SELECT w.id, w.created_at FROM workspaces w WHERE w.id IN (${idList})`,
    what: "selected workspaces",
    audit: { workspaceIds: ids.slice(0, AUDIT_ID_LIMIT) },
  };
  const operationId = await createOperation(tx, context, scope);
  const { queued, skipped } = await insertOperationItems(tx, operationId, scope.candidates);
  if (queued === 0) {
    // Raw: the blocking items with their workspace names in one join over the partial active-item index.
    const busy = await tx.$queryRaw<{ name: string; operation_id: string }[]>`
      SELECT w.name, i.operation_id::text AS operation_id
      FROM operation_items i JOIN workspaces w ON w.id = i.workspace_id
      WHERE i.workspace_id IN (${idList}) AND i.status IN ('queued', 'running') AND i.operation_id <> ${operationId}::uuid
      ORDER BY w.name
      LIMIT 10`;
    const list = busy.map((row) => `${row.name} (operation ${row.operation_id})`).join(", ");
    throw new ConflictError(`Already queued or running in another operation: ${list}. Wait for it or cancel it first.`);
  }
  return finish(tx, operationId, context, scope, { queued, skipped });
}

async function createOperation(tx: Tx, context: EnqueueContext, scope: Scope): Promise<string> {
  const operation = await tx.operation.create({
    data: {
      kind: scope.kind,
      requestedBy: context.actor,
      templateName: scope.templateName,
      reason: context.reason,
      concurrency: context.concurrency,
      retryOf: scope.retryOf ?? null,
      targetDigest: context.targetDigest,
    },
  });
  return operation.id;
}

async function finish(
  tx: Tx,
  operationId: string,
  context: EnqueueContext,
  scope: Scope,
  counts: { queued: number; skipped: number },
): Promise<EnqueueReprovisionResult> {
  const total = counts.queued + counts.skipped;
  await tx.operation.update({ where: { id: operationId }, data: { total } });
  await recordAudit(tx, {
    actor: context.actor,
    action: "operation.reprovision_requested",
    targetType: "operation",
    targetId: operationId,
    templateName: scope.templateName,
    reason: context.reason,
    after: {
      kind: scope.kind,
      total,
      ...counts,
      ...scope.audit,
      concurrency: context.concurrency,
      ...(context.targetDigest ? { targetDigest: context.targetDigest } : {}),
      ...(context.rolloutId ? { rolloutId: context.rolloutId } : {}),
    },
  });
  const skippedWorkspaces = counts.skipped > 0 ? await listSkippedWorkspaces(tx, operationId) : [];
  return { operationId, total, ...counts, skippedWorkspaces };
}

/**
 * Explicit ids of a template with an active rollout: one workspace goes to its ring's target
 * (the new digest once its ring started, else the pin); several at once are a bulk run of that
 * template and are refused, like "all stale" of it.
 */
async function rolloutAwareContext(
  tx: Tx,
  ids: string[],
  runtimes: Set<string>,
  context: EnqueueContext,
): Promise<EnqueueContext> {
  if (ids.length > 1) {
    for (const runtime of runtimes) await refuseDuringRollout(tx, runtime, "reprovisioning its workspaces in bulk");
    return context;
  }
  if (context.targetDigest !== null) return context;
  const target = await activeRingTargetOf(tx, ids[0]!);
  return target ? { ...context, targetDigest: target } : context;
}

function uniqueIds(ids: string[]): string[] {
  const unique = [...new Set(ids.map((id) => id.trim().toLowerCase()).filter((id) => id !== ""))];
  const invalid = unique.filter((id) => !isUuid(id));
  if (invalid.length > 0) {
    const message = `Not a workspace id: ${invalid.slice(0, 5).join(", ")}.`;
    throw new ValidationError(message, { workspaceIds: [message] });
  }
  return unique;
}
