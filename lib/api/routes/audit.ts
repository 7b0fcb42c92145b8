import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { listAuditEntries } from "@/lib/db/audit-log";
import { auditFilterSchema } from "@/lib/schemas/audit";
import { plainText, templateNameSchema } from "@/lib/schemas/fields";

import { auditEntryShape } from "./shapes";

/** The Audit log page's filters, strict (422 for a bad value instead of dropping it). */
export const auditQuery = z.object({
  template: templateNameSchema.optional(),
  action: auditFilterSchema.shape.action
    .unwrap()
    .unwrap()
    .optional()
    .describe('an action ("pin.promote"), or a prefix ending in "." ("pin.")'),
  cursor: plainText().min(1).max(200).optional().describe("next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).optional().describe("page size, default 50"),
});

/** GET /audit: audit entries newest first, with the page's filters and a cursor. */
export const listAuditRoute = defineApiRoute({
  method: "GET",
  path: "/audit",
  role: "viewer",
  tag: "audit",
  summary: "The audit log, newest first",
  query: auditQuery,
  success: {
    status: 200,
    description: "A page of entries; next_cursor is null on the last page",
    schema: z.object({ entries: z.array(auditEntryShape), next_cursor: z.string().nullable() }),
  },
  run: async ({ db, query }) => {
    const page = await listAuditEntries(db, query);
    return {
      entries: page.rows.map((row) => ({
        id: row.id,
        actor: row.actor,
        action: row.action,
        target_type: row.targetType,
        target_id: row.targetId,
        template: row.templateName,
        reason: row.reason,
        before: row.before,
        after: row.after,
        created_at: row.createdAt.toISOString(),
      })),
      next_cursor: page.nextCursor,
    };
  },
});
