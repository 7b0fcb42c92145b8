import "server-only";

import type { Db } from "@/lib/db/client";

import { recordSightingTx } from "./record-digest";

/** A pinned template and its whole pin history (oldest first), for the retention check. */
export type PinnedTemplateHistory = {
  templateName: string;
  digest: string;
  history: { action: "promote" | "rollback" | "unpin"; fromDigest: string | null; toDigest: string | null }[];
};

/** One digest the registry no longer has although Fleetpin may need it. */
export type MissingDigest = {
  templateName: string;
  digest: string;
  pinned: boolean;
  missingSince: Date;
  checkedAt: Date | null;
};

/** Every pin with its history (two queries). */
export async function pinnedTemplateHistories(
  db: Db,
  templateNames?: readonly string[],
): Promise<PinnedTemplateHistory[]> {
  const where = templateNames ? { templateName: { in: [...templateNames] } } : {};
  const [pins, history] = await Promise.all([
    db.runtimeImagePin.findMany({ where }),
    db.runtimeImagePinHistory.findMany({
      where,
      orderBy: [{ templateName: "asc" }, { id: "asc" }],
      select: { templateName: true, action: true, fromDigest: true, toDigest: true },
    }),
  ]);
  return pins.map((pin) => ({
    templateName: pin.templateName,
    digest: pin.digest,
    history: history
      .filter((step) => step.templateName === pin.templateName)
      .map(({ action, fromDigest, toDigest }) => ({ action, fromDigest, toDigest })),
  }));
}

/**
 * Stores what a retention check found for a template's retained digests (`present` per digest):
 * checked now; missing since the first check that did not find it, cleared when found again.
 * Digests no longer retained lose their "missing" mark: nobody needs them any more.
 */
export async function recordRetention(
  db: Db,
  templateName: string,
  results: readonly { digest: string; present: boolean }[],
): Promise<void> {
  await db.$transaction(async (tx) => {
    const now = new Date();
    for (const { digest, present } of results) {
      await recordSightingTx(tx, { templateName, digest, via: "promote" });
      await tx.templateDigest.update({
        where: { templateName_digest: { templateName, digest } },
        data: { registryCheckedAt: now, ...(present ? { registryMissingSince: null } : {}) },
      });
      if (!present) {
        await tx.templateDigest.updateMany({
          where: { templateName, digest, registryMissingSince: null },
          data: { registryMissingSince: now },
        });
      }
    }
    await tx.templateDigest.updateMany({
      where: {
        templateName,
        digest: { notIn: results.map((result) => result.digest) },
        registryMissingSince: { not: null },
      },
      data: { registryMissingSince: null },
    });
  });
}

/** Digests the last retention check did not find, pinned ones first (the pins and stale pages' banner). */
export async function listMissingDigests(db: Db, templateName?: string): Promise<MissingDigest[]> {
  const [rows, pins] = await Promise.all([
    db.templateDigest.findMany({
      where: { registryMissingSince: { not: null }, ...(templateName ? { templateName } : {}) },
      orderBy: [{ templateName: "asc" }, { firstSeenAt: "desc" }],
      select: { templateName: true, digest: true, registryMissingSince: true, registryCheckedAt: true },
    }),
    db.runtimeImagePin.findMany({ select: { templateName: true, digest: true } }),
  ]);
  const pinned = new Set(pins.map((pin) => `${pin.templateName}@${pin.digest}`));
  return rows
    .map((row) => ({
      templateName: row.templateName,
      digest: row.digest,
      pinned: pinned.has(`${row.templateName}@${row.digest}`),
      missingSince: row.registryMissingSince!,
      checkedAt: row.registryCheckedAt,
    }))
    .sort((a, b) => Number(b.pinned) - Number(a.pinned));
}
