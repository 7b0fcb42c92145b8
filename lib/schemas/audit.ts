import { z } from "zod";

import { optionalParam, plainText, templateNameSchema } from "./fields";

/**
 * The action filters the Audit log page offers. A value ending in "." matches
 * every action under that prefix (listAuditEntries' rule).
 */
export const AUDIT_ACTION_FILTERS = [
  { value: "pin.", label: "Pin changes (all)" },
  { value: "pin.promote", label: "Promote" },
  { value: "pin.rollback", label: "Rollback" },
  { value: "pin.unpin", label: "Unpin" },
  { value: "workspace.", label: "Workspace changes (all)" },
  { value: "workspace.reprovision", label: "Reprovisioned" },
  { value: "workspace.reprovision_failed", label: "Reprovision failed" },
  { value: "operation.", label: "Operations (requested, finished, cancelled)" },
  { value: "session.", label: "Sign-ins and sign-outs" },
  { value: "user.", label: "User management" },
  { value: "api_token.", label: "API tokens (created, revoked)" },
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
  cursor: optionalParam(plainText().min(1).max(200)),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
