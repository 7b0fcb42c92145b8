import "server-only";

import type { Db } from "@/lib/db/client";

/** One ledger row with its tags, as stored (the state is derived in lib/ledger/digest-state.ts). */
export type StoredDigest = {
  digest: string;
  firstSeenAt: Date;
  firstSeenVia: string;
  seenVia: string[];
  mediaType: string | null;
  platforms: string[] | null;
  configCreated: Date | null;
  labels: { revision: string | null; source: string | null; version: string | null; created: string | null };
  compressedSize: number | null;
  metadataError: string | null;
  /** The quarantine in force (rolled back from, not lifted since), else null. */
  quarantine: { at: Date; by: string; reason: string } | null;
  /** The last lifted quarantine, while none is in force. */
  lastLift: { at: Date; by: string; reason: string; quarantinedAt: Date; quarantineReason: string } | null;
  registryMissingSince: Date | null;
  tags: { tag: string; since: Date; until: Date | null }[];
};

/** What the ledger's state rule needs besides the rows: the pin, every digest ever pinned, the fleet per digest. */
export type LedgerContext = {
  pinnedDigest: string | null;
  everPinned: Set<string>;
  workspacesByDigest: Map<string, number>;
  /** Where the fleet runs each digest: live workspaces per Docker host, most first. */
  hostsByDigest: Map<string, { host: string; workspaces: number }[]>;
};

/** A template's ledger rows, newest first (at most `limit`), with their tag history. */
export async function loadTemplateDigests(
  db: Db,
  templateName: string,
  limit = 100,
  digests?: readonly string[],
): Promise<StoredDigest[]> {
  const rows = await db.templateDigest.findMany({
    where: { templateName, ...(digests ? { digest: { in: [...digests] } } : {}) },
    orderBy: [{ firstSeenAt: "desc" }, { digest: "asc" }],
    take: Math.min(500, Math.max(1, limit)),
  });
  const tags = await db.templateDigestTag.findMany({
    where: { templateName, digest: { in: rows.map((row) => row.digest) } },
    orderBy: { pointedSince: "desc" },
  });
  return rows.map((row) => ({
    digest: row.digest,
    firstSeenAt: row.firstSeenAt,
    firstSeenVia: row.firstSeenVia,
    seenVia: stringList(row.seenVia) ?? [],
    mediaType: row.mediaType,
    platforms: stringList(row.platforms),
    configCreated: row.configCreated,
    labels: {
      revision: row.labelRevision,
      source: row.labelSource,
      version: row.labelVersion,
      created: row.labelCreated,
    },
    compressedSize: row.compressedSize === null ? null : Number(row.compressedSize),
    metadataError: row.metadataError,
    quarantine:
      row.quarantinedAt && !row.quarantineLiftedAt
        ? { at: row.quarantinedAt, by: row.quarantinedBy ?? "", reason: row.quarantineReason ?? "" }
        : null,
    lastLift:
      row.quarantinedAt && row.quarantineLiftedAt
        ? {
            at: row.quarantineLiftedAt,
            by: row.quarantineLiftedBy ?? "",
            reason: row.quarantineLiftReason ?? "",
            quarantinedAt: row.quarantinedAt,
            quarantineReason: row.quarantineReason ?? "",
          }
        : null,
    registryMissingSince: row.registryMissingSince,
    tags: tags
      .filter((tag) => tag.digest === row.digest)
      .map((tag) => ({ tag: tag.tag, since: tag.pointedSince, until: tag.pointedUntil })),
  }));
}

/** The pin, the digests ever pinned and live workspaces per digest and host of a template (three queries). */
export async function loadLedgerContext(db: Db, templateName: string): Promise<LedgerContext> {
  const [pin, history, fleet] = await Promise.all([
    db.runtimeImagePin.findUnique({ where: { templateName }, select: { digest: true } }),
    db.runtimeImagePinHistory.findMany({
      where: { templateName, toDigest: { not: null } },
      select: { toDigest: true },
      distinct: ["toDigest"],
    }),
    db.workspace.groupBy({
      by: ["runtimeImageDigest", "host"],
      where: { runtime: templateName, status: { not: "removed" }, runtimeImageDigest: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const workspacesByDigest = new Map<string, number>();
  const hostsByDigest = new Map<string, { host: string; workspaces: number }[]>();
  for (const row of fleet) {
    const digest = row.runtimeImageDigest!;
    workspacesByDigest.set(digest, (workspacesByDigest.get(digest) ?? 0) + row._count._all);
    hostsByDigest.set(digest, [...(hostsByDigest.get(digest) ?? []), { host: row.host, workspaces: row._count._all }]);
  }
  for (const hosts of hostsByDigest.values())
    hosts.sort((a, b) => b.workspaces - a.workspaces || a.host.localeCompare(b.host));
  return {
    pinnedDigest: pin?.digest ?? null,
    everPinned: new Set(history.map((row) => row.toDigest!)),
    workspacesByDigest,
    hostsByDigest,
  };
}

/** The watcher's last outcome for a template, for its page. */
export async function templateWatchStatus(db: Db, templateName: string) {
  return db.templateWatch.findUnique({ where: { templateName } });
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : null;
}

/** Live workspaces of a template: per digest they run, and how many run a digest nobody knows yet. */
export async function templateFleetDigests(
  db: Db,
  templateName: string,
): Promise<{ total: number; byDigest: Map<string, number> }> {
  const rows = await db.workspace.groupBy({
    by: ["runtimeImageDigest"],
    where: { runtime: templateName, status: { not: "removed" } },
    _count: { _all: true },
  });
  const byDigest = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    total += row._count._all;
    if (row.runtimeImageDigest) byDigest.set(row.runtimeImageDigest, row._count._all);
  }
  return { total, byDigest };
}
