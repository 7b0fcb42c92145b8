import "server-only";

import type { Db } from "@/lib/db/client";
import { loadLedgerContext, loadTemplateDigests, type StoredDigest } from "@/lib/db/ledger/list-digests";
import { digestState, type DigestState } from "@/lib/domain/digest-state";

/** One digest of a template's ledger with its derived state and the live workspaces running it (in total and per host). */
export type LedgerDigest = StoredDigest & {
  state: DigestState;
  workspaces: number;
  hosts: { host: string; workspaces: number }[];
};

/**
 * A template's digests, newest first (first seen by our clock), with state, tags, metadata,
 * quarantine and how many live workspaces run each: the template page and
 * `GET /api/v1/templates/{template}/digests` (see toLedgerDigestsResponse) both read this.
 */
export async function listTemplateDigests(
  db: Db,
  templateName: string,
  options: { limit?: number; digests?: readonly string[] } = {},
): Promise<LedgerDigest[]> {
  const [rows, context] = await Promise.all([
    loadTemplateDigests(db, templateName, options.limit ?? 100, options.digests),
    loadLedgerContext(db, templateName),
  ]);
  const pinnedRow = context.pinnedDigest === null ? undefined : rows.find((row) => row.digest === context.pinnedDigest);
  const pinnedFirstSeenAt =
    pinnedRow?.firstSeenAt ??
    (context.pinnedDigest === null ? null : await pinFirstSeen(db, templateName, context.pinnedDigest));
  return rows.map((row) => ({
    ...row,
    state: digestState({
      digest: row.digest,
      quarantined: row.quarantine !== null,
      firstSeenAt: row.firstSeenAt,
      seenVia: row.seenVia,
      pinnedDigest: context.pinnedDigest,
      pinnedFirstSeenAt,
      everPinned: context.everPinned,
    }),
    workspaces: context.workspacesByDigest.get(row.digest) ?? 0,
    hosts: context.hostsByDigest.get(row.digest) ?? [],
  }));
}

/** One digest of the ledger, or null when Fleetpin never met it for this template. */
export async function getTemplateDigest(db: Db, templateName: string, digest: string): Promise<LedgerDigest | null> {
  const [row] = await listTemplateDigests(db, templateName, { digests: [digest] });
  return row ?? null;
}

async function pinFirstSeen(db: Db, templateName: string, digest: string): Promise<Date | null> {
  const [row] = await loadTemplateDigests(db, templateName, 1, [digest]);
  return row?.firstSeenAt ?? null;
}
