import "server-only";

import { type RegistryConfig, registryConfig } from "@/lib/config";
import { rollbackTargetFromHistory, type PinHistoryStep } from "@/lib/domain/rollback-target";
import { isKnownRuntime, KNOWN_RUNTIMES, runtimeImageRepository } from "@/lib/domain/runtimes";
import type { PinAction, Prisma } from "@/lib/generated/prisma/client";

import type { Db } from "./client";
import { staleSummary } from "./stale-fleet";

// What the pins pages and the API read: every template with its pin and fleet, and a pin's history.

/** One template on the Pins page: its pin (or none = follows :latest) and how its fleet stands. */
export type PinOverviewRow = {
  templateName: string;
  known: boolean;
  /** `<registry prefix>/workspace-template-<name>` for a known template, "" otherwise. */
  repository: string;
  pin: {
    digest: string;
    updatedAt: Date;
    updatedBy: string | null;
    notes: string | null;
    gitSha: string | null;
  } | null;
  rollbackTarget: string | null;
  workspaceCount: number;
  onPinCount: number;
  staleCount: number;
  unknownCount: number;
  /** Live workspaces of the template whose container is not running although nobody stopped it. */
  downCount: number;
};

/** One promote, rollback or unpin of a template's pin. */
export type PinHistoryRow = {
  id: string;
  templateName: string;
  action: PinAction;
  fromDigest: string | null;
  toDigest: string | null;
  actor: string;
  reason: string;
  /** The git commit of toDigest's image, when the promote said. */
  gitSha: string | null;
  createdAt: Date;
};

/** What a pin change did; `gitSha` is the commit of the digest it moved to, when known. */
/**
 * Every known template plus any other pinned one, alphabetical, with its pin,
 * the digest a Rollback would restore and its fleet counts (three queries, none per template).
 */
export async function listPinOverview(
  db: Db,
  registry: Pick<RegistryConfig, "imagePrefix"> = registryConfig(),
): Promise<PinOverviewRow[]> {
  const [pins, summary] = await Promise.all([db.runtimeImagePin.findMany(), staleSummary(db)]);
  const histories = await historiesOf(
    db,
    pins.map((pin) => pin.templateName),
  );
  const counts = new Map(summary.map((row) => [row.templateName, row]));
  const byName = new Map(pins.map((pin) => [pin.templateName, pin]));
  const names = [...new Set<string>([...KNOWN_RUNTIMES, ...byName.keys()])].sort();

  return names.map((templateName) => {
    const pin = byName.get(templateName) ?? null;
    const count = counts.get(templateName);
    return {
      templateName,
      known: isKnownRuntime(templateName),
      repository: runtimeImageRepository(templateName, registry.imagePrefix),
      pin: pin && {
        digest: pin.digest,
        updatedAt: pin.updatedAt,
        updatedBy: pin.updatedBy,
        notes: pin.notes,
        gitSha: pin.gitSha,
      },
      rollbackTarget: pin ? rollbackTargetFromHistory(histories.get(templateName) ?? [], pin.digest) : null,
      // Counts only live workspaces; for an unpinned template the three buckets stay 0.
      workspaceCount: count?.total ?? 0,
      onPinCount: count?.onPin ?? 0,
      staleCount: count?.stale ?? 0,
      unknownCount: count?.unknown ?? 0,
      downCount: count?.down ?? 0,
    };
  });
}

/** The latest `limit` history entries of one template, newest first. */
export async function listPinHistory(db: Db, templateName: string, limit = 20): Promise<PinHistoryRow[]> {
  const rows = await db.runtimeImagePinHistory.findMany({
    where: { templateName },
    orderBy: { id: "desc" },
    take: Math.min(500, Math.max(1, Math.trunc(limit) || 20)),
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    templateName: row.templateName,
    action: row.action,
    fromDigest: row.fromDigest,
    toDigest: row.toDigest,
    actor: row.actor,
    reason: row.reason,
    gitSha: row.gitSha,
    createdAt: row.createdAt,
  }));
}

/** Each template's pin history, oldest first, for the rollback target (pages and rollbackPin share it). */
export async function historiesOf(
  db: Db | Prisma.TransactionClient,
  templateNames: string[],
): Promise<Map<string, PinHistoryStep[]>> {
  const byTemplate = new Map<string, PinHistoryStep[]>();
  if (templateNames.length === 0) return byTemplate;
  const rows = await db.runtimeImagePinHistory.findMany({
    where: { templateName: { in: templateNames } },
    orderBy: [{ templateName: "asc" }, { id: "asc" }],
    select: { templateName: true, action: true, fromDigest: true, toDigest: true },
  });
  for (const { templateName, ...step } of rows) {
    const list = byTemplate.get(templateName) ?? [];
    list.push(step);
    byTemplate.set(templateName, list);
  }
  return byTemplate;
}
