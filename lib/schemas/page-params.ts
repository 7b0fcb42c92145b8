import { z } from "zod";

import { auditFilterSchema, type AuditFilter } from "./audit";
import { optionalParam, templateNameSchema } from "./fields";
import { workspaceFilterSchema, type WorkspaceFilter } from "./workspace";

/** What Next.js hands a page as searchParams. */
export type SearchParams = Record<string, string | string[] | undefined>;

// One parser per page, so the pages and the fuzz test (page-params.fuzz.test.ts) read URLs the same way.

/** /workspaces: every filter and the paging. */
export function parseWorkspacesPageParams(params: SearchParams): WorkspaceFilter {
  return workspaceFilterSchema.parse(params);
}

/** /stale: paging only (the page always lists stale workspaces). */
export function parseStalePageParams(
  params: SearchParams,
): Pick<WorkspaceFilter, "cursor" | "direction" | "host" | "hostLabel"> {
  return workspaceFilterSchema.pick({ cursor: true, direction: true, host: true, hostLabel: true }).parse(params);
}

/** /audit: template and action filters and the paging. */
export function parseAuditPageParams(params: SearchParams): AuditFilter {
  return auditFilterSchema.parse(params);
}

/** The statuses /rollouts filters on ("active" = running or paused). */
export const ROLLOUT_STATUS_FILTERS = ["active", "running", "paused", "succeeded", "rolled_back", "aborted"] as const;

const rolloutsFilterSchema = z.object({
  template: optionalParam(templateNameSchema),
  status: optionalParam(z.enum(ROLLOUT_STATUS_FILTERS)),
});

/** /rollouts: template and status filters (a bad value is dropped, like the other pages). */
export function parseRolloutsPageParams(params: SearchParams): z.infer<typeof rolloutsFilterSchema> {
  return rolloutsFilterSchema.parse(params);
}

/**
 * /pins/[template]: the template named by the path segment, or null (the page
 * answers 404). A segment that is not valid percent-encoding ("%E0%A4%A") is
 * null too, not a URIError and a 500 (#13 item 7).
 */
export function templateFromPathSegment(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const parsed = templateNameSchema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}
