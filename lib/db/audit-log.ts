import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

/** What an audit row says: who did what to which target, why, and the state before and after. */
export type AuditEntry = {
  actor: string;
  action: string;
  targetType: "pin" | "workspace" | "operation" | "user" | "session";
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
