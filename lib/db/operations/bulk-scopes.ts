import "server-only";

import { staleWhere } from "@/lib/db/stale-fleet";
import type { BulkScope } from "@/lib/domain/reprovision-preview";
import { Prisma } from "@/lib/generated/prisma/client";

import { downCandidates } from "./down-scope";
import type { CandidateWorkspaces } from "./insert-operation-items";

/** A set of workspaces chosen by a condition, as one operation. */
export type Scope = {
  kind: "reprovision" | "bulk_reprovision";
  templateName: string | null;
  /** The operation whose failures this one retries. */
  retryOf?: string;
  candidates: CandidateWorkspaces;
  /** Plural noun phrase for messages, e.g. "stale workspaces of hermes". */
  what: string;
  audit: Prisma.InputJsonObject;
};

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
