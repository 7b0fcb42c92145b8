import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { isBigintId, isCursorTime } from "@/lib/util/cursor-parts";

/** What an audit row says: who did what to which target, why, and the state before and after. */
export type AuditEntry = {
  actor: string;
  action: string;
  targetType:
    | "pin"
    | "workspace"
    | "operation"
    | "user"
    | "session"
    | "digest"
    | "api_token"
    | "webhook"
    | "host"
    | "rings"
    | "rollout";
  targetId: string;
  templateName?: string | null;
  reason?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
};

type AuditWriter = Pick<Prisma.TransactionClient, "auditLog">;

/**
 * Writes one audit row. Call it with the transaction client of the change it
 * describes, so the change and its record commit (or fail) together.
 */
export async function recordAudit(tx: AuditWriter, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      templateName: entry.templateName ?? null,
      reason: entry.reason ?? null,
      before: entry.before ?? undefined,
      after: entry.after ?? undefined,
    },
  });
}

/** One audit entry as the Audit log page shows it. */
export type AuditRow = {
  id: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  templateName: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
};

/** Filters and page position for listAuditEntries. */
export type AuditFilter = { template?: string; action?: string; cursor?: string; limit?: number };

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;

type RawAudit = {
  id: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  template_name: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
  cursor_at: string;
};

const AUDIT_CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,19})$/;

/**
 * Audit entries newest first, optionally for one template and/or one action
 * (exact, or every action under a prefix ending in "." such as "pin."), by keyset
 * pagination on (created_at, id) so the template index serves filtered pages.
 */
export async function listAuditEntries(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  filter: AuditFilter = {},
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const limit =
    filter.limit === undefined || !Number.isFinite(filter.limit)
      ? DEFAULT_AUDIT_PAGE_SIZE
      : Math.min(MAX_AUDIT_PAGE_SIZE, Math.max(1, Math.trunc(filter.limit)));
  const conditions: Prisma.Sql[] = [];
  if (filter.template) conditions.push(Prisma.sql`a.template_name = ${filter.template}`);
  if (filter.action) {
    conditions.push(
      filter.action.endsWith(".")
        ? Prisma.sql`starts_with(a.action, ${filter.action})`
        : Prisma.sql`a.action = ${filter.action}`,
    );
  }
  if (filter.cursor) {
    const match = AUDIT_CURSOR.exec(Buffer.from(filter.cursor, "base64url").toString("utf8"));
    if (!match || !isCursorTime(match[1]!) || !isBigintId(match[2]!)) {
      const message = "This page link is not valid any more; start again from the newest entries.";
      throw new ValidationError(message, { cursor: [message] });
    }
    conditions.push(Prisma.sql`(a.created_at, a.id) < (${match[1]}::timestamptz, ${match[2]}::bigint)`);
  }
  const where = conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, " AND ");
  // Raw: a keyset page on the row value (created_at, id) with a microsecond cursor; the model API has neither.
  const fetched = await db.$queryRaw<RawAudit[]>`
    SELECT a.id::text AS id, a.actor, a.action, a.target_type, a.target_id, a.template_name, a.reason,
           a.before, a.after, a.created_at,
           to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
    FROM audit_log a
    WHERE ${where}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${limit + 1}`;
  const page = fetched.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      templateName: row.template_name,
      reason: row.reason,
      before: row.before,
      after: row.after,
      createdAt: row.created_at,
    })),
    nextCursor:
      fetched.length > limit && last ? Buffer.from(`${last.cursor_at}|${last.id}`, "utf8").toString("base64url") : null,
  };
}
