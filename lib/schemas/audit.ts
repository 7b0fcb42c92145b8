import { z } from "zod";

import { optionalParam, templateNameSchema } from "@/lib/schemas/fields";

/**
 * The action filters the Audit log page offers. A value ending in "." matches
 * every action under that prefix (listAuditEntries' rule).
 */
export const AUDIT_ACTION_FILTERS = [
  { value: "pin.", label: "Any pin change" },
  { value: "pin.promote", label: "Promote" },
  { value: "pin.rollback", label: "Rollback" },
  { value: "pin.unpin", label: "Unpin" },
  { value: "operation.", label: "Any operation" },
  { value: "operation.reprovision_requested", label: "Reprovision requested" },
] as const;

/** Audit page filters and paging, read from searchParams. */
export const auditFilterSchema = z.object({
  template: optionalParam(templateNameSchema),
  action: optionalParam(
    z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[a-z_.]+$/),
  ),
  cursor: optionalParam(z.string().min(1).max(200)),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
