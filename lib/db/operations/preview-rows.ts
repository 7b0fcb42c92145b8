import "server-only";

import type { Db } from "@/lib/db/client";
import type { BulkScope } from "@/lib/domain/reprovision-preview";

import { bulkScopeCandidates } from "./bulk-scopes";

/** A workspace as the reprovision preview shows it, with the operation that already has it, if any. */
export type PreviewWorkspaceRow = {
  id: string;
  name: string;
  runtime: string;
  status: string;
  runtime_image: string | null;
  runtime_image_digest: string | null;
  busy: string | null;
};

export async function previewWorkspaceRow(db: Db, workspaceId: string): Promise<PreviewWorkspaceRow | null> {
  // Raw: the correlated "busy" subquery rides the partial active-item index in the same statement.
  const [row] = await db.$queryRaw<PreviewWorkspaceRow[]>`
    SELECT w.id::text AS id, w.name, w.runtime, w.status::text AS status, w.runtime_image, w.runtime_image_digest,
           (SELECT i.operation_id::text FROM operation_items i WHERE i.workspace_id = w.id AND i.status IN ('queued', 'running') LIMIT 1) AS busy
    FROM workspaces w WHERE w.id = ${workspaceId}::uuid`;
  return row ?? null;
}

/** A bulk scope counted per template and running digest, with how many another operation already has. */
export type PreviewGroupRow = { runtime: string; digest: string | null; n: number; busy: number };

export async function previewScopeGroups(db: Db, scope: BulkScope): Promise<PreviewGroupRow[]> {
  // Raw: one grouped count over the scope's candidate query (shared with enqueue), not rows fetched and counted here.
  return db.$queryRaw<PreviewGroupRow[]>`
    SELECT x.runtime, x.runtime_image_digest AS digest, count(*)::int AS n,
           (count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM operation_items i WHERE i.workspace_id = x.id AND i.status IN ('queued', 'running')
           )))::int AS busy
    FROM (${bulkScopeCandidates(scope)}) c JOIN workspaces x ON x.id = c.id
    GROUP BY x.runtime, x.runtime_image_digest
    ORDER BY x.runtime, count(*) DESC, x.runtime_image_digest`;
}
