import "server-only";

import type { Db } from "@/lib/db/client";

/** What the registry said about a digest, as stored in its ledger row. */
export type DigestMetadata = {
  mediaType: string;
  platforms: string[];
  configCreated: Date | null;
  labels: { revision: string | null; source: string | null; version: string | null; created: string | null };
  compressedSize: number | null;
};

/** Ledger rows of a template whose metadata was never fetched (nor failed), oldest first. */
export async function digestsWithoutMetadata(db: Db, templateName: string, limit = 10): Promise<string[]> {
  const rows = await db.templateDigest.findMany({
    where: { templateName, metadataAt: null, metadataError: null },
    orderBy: { firstSeenAt: "asc" },
    take: limit,
    select: { digest: true },
  });
  return rows.map((row) => row.digest);
}

/** Stores a digest's metadata once; a row that already has it is left alone (digests are immutable). */
export async function storeDigestMetadata(
  db: Db,
  templateName: string,
  digest: string,
  metadata: DigestMetadata,
): Promise<void> {
  await db.templateDigest.updateMany({
    where: { templateName, digest, metadataAt: null },
    data: {
      mediaType: metadata.mediaType,
      platforms: metadata.platforms,
      configCreated: metadata.configCreated,
      labelRevision: metadata.labels.revision,
      labelSource: metadata.labels.source,
      labelVersion: metadata.labels.version,
      labelCreated: metadata.labels.created,
      compressedSize: metadata.compressedSize === null ? null : BigInt(Math.round(metadata.compressedSize)),
      metadataAt: new Date(),
      metadataError: null,
    },
  });
}

/** Notes why a digest's metadata could not be read; it is not asked for again until cleared. */
export async function storeDigestMetadataError(
  db: Db,
  templateName: string,
  digest: string,
  message: string,
): Promise<void> {
  await db.templateDigest.updateMany({
    where: { templateName, digest, metadataAt: null },
    data: { metadataError: message.slice(0, 500) },
  });
}
