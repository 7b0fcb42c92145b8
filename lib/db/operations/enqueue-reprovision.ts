import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { resolveConcurrency } from "@/lib/db/operations/resolve-concurrency";
import { staleWhere } from "@/lib/db/workspaces";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/is-uuid";
import { normalizeReason } from "@/lib/pins/reason";

/** What to reprovision: explicit workspace ids, or every stale workspace (of `template`, or of all). */
export type EnqueueReprovisionInput = {
  workspaceIds?: string[];
  template?: string;
  allStale?: boolean;
  reason?: string | null;
  concurrency?: number;
};

const AUDIT_ID_LIMIT = 100;

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
  const invalid = unique.filter((id) => !isUuid(id));
  if (invalid.length > 0) {
    const message = `Not a workspace id: ${invalid.slice(0, 5).join(", ")}.`;
    throw new ValidationError(message, { workspaceIds: [message] });
  }
  return unique;
}
