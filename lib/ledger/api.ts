import "server-only";

import type { Db } from "@/lib/db/client";
import { liftQuarantine } from "@/lib/db/ledger/quarantine";
import { ConflictError, DigestCoolDownError, DigestQuarantinedError, NotFoundError } from "@/lib/domain/errors";
import { isKnownRuntime } from "@/lib/domain/runtimes";
import { toLedgerDigestJson, type TemplateDigestsResponse } from "@/lib/schemas/ledger";

import { listTemplateDigests } from "./list-ledger";

// The lib side of the ledger's token-authenticated API endpoints; the API v1 wrapper (its own
// branch) authenticates, parses with lib/schemas/ledger.ts and maps typed errors to statuses.

/** `GET /api/v1/templates/{template}/digests`: the template's ledger, newest first. NotFoundError for an unknown template. */
export async function templateDigestsResponse(
  db: Db,
  templateName: string,
  limit = 100,
): Promise<TemplateDigestsResponse> {
  requireTemplate(templateName);
  const rows = await listTemplateDigests(db, templateName, { limit });
  return { digests: rows.map(toLedgerDigestJson) };
}

/**
 * `DELETE /api/v1/templates/{template}/digests/{digest}/quarantine` with `{reason}`: lifts it, audited. NotFoundError
 * when none is in force.
 */
export async function liftQuarantineResponse(
  db: Db,
  input: { templateName: string; digest: string; reason: string },
  actor: string,
) {
  requireTemplate(input.templateName);
  const lifted = await liftQuarantine(db, input, actor);
  return {
    template: lifted.templateName,
    digest: lifted.digest,
    lifted: true as const,
    quarantine: { at: lifted.quarantine.at.toISOString(), by: lifted.quarantine.by, reason: lifted.quarantine.reason },
  };
}

/** Why a promote was refused with a 409, for promoteRefusedResponseSchema; null when the error is no conflict. */
export function promoteRefusal(
  error: unknown,
): { code: "conflict"; reason: "quarantined" | "cool_down" | "pin_changed"; message: string } | null {
  if (error instanceof DigestQuarantinedError)
    return { code: "conflict", reason: "quarantined", message: error.message };
  if (error instanceof DigestCoolDownError) return { code: "conflict", reason: "cool_down", message: error.message };
  if (error instanceof ConflictError) return { code: "conflict", reason: "pin_changed", message: error.message };
  return null;
}

function requireTemplate(templateName: string): void {
  if (!isKnownRuntime(templateName)) throw new NotFoundError(`Unknown template "${templateName}".`);
}
