import "server-only";

import { downCandidates } from "@/lib/db/operations/down-scope";
import type { CandidateWorkspaces } from "@/lib/db/operations/insert-operation-items";
import { staleWhere } from "@/lib/db/stale-fleet";
import { Prisma } from "@/lib/generated/prisma/client";

/** A bulk reprovision chosen by condition: every stale or every down workspace, of one template or of all. */
export type BulkScope = { kind: "stale" | "down"; template?: string };

/** The scope's workspaces as SQL (`SELECT w.id, w.created_at …`), what enqueueing and the preview both read. */
export function bulkScopeCandidates(scope: BulkScope): CandidateWorkspaces {
  if (scope.kind === "down") return downCandidates(scope.template);
  return Prisma.sql`
    SELECT w.id, w.created_at FROM workspaces w JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE ${Prisma.join(staleWhere(scope.template), " AND ")}`;
}

/** The scope as a plural noun phrase for messages: "stale workspaces of hermes", "down workspaces". */
export function bulkScopeLabel(scope: BulkScope): string {
  return `${scope.kind} workspaces${scope.template ? ` of ${scope.template}` : ""}`;
}
