import "server-only";

import type { Db } from "@/lib/db/client";
import type { DigestSource } from "@/lib/domain/digest-state";
import type { Prisma } from "@/lib/generated/prisma/client";

export type { DigestSource };

/** One sighting: a digest of a template, how it was met, and the tag that pointed at it (if any). */
export type DigestSighting = { templateName: string; digest: string; via: DigestSource; tag?: string | null };

/** What recording a sighting changed: a new ledger row, and/or a tag that now points elsewhere. */
export type SightingResult = { newDigest: boolean; tagMoved: boolean };

type Tx = Prisma.TransactionClient;

/** Records a sighting in its own transaction; duplicates change nothing (see recordSightingTx). */
export async function recordSighting(db: Db, sighting: DigestSighting): Promise<SightingResult> {
  return db.$transaction((tx) => recordSightingTx(tx, sighting));
}

/**
 * Records a sighting inside the caller's transaction: the ledger row (first_seen_at is our clock
 * at the first sighting, never moved later), the way it was met added once to seen_via, and when
 * a tag is given, that tag's current pointer moved to this digest (the old pointer closed).
 * Idempotent: the same sighting again writes nothing.
 */
export async function recordSightingTx(tx: Tx, sighting: DigestSighting): Promise<SightingResult> {
  const { templateName, digest, via } = sighting;
  // ON CONFLICT with a conditional update: the model API cannot append to a JSON list only when missing.
  const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO template_digests (template_name, digest, first_seen_at, first_seen_via, seen_via)
    VALUES (${templateName}, ${digest}, now(), ${via}, jsonb_build_array(${via}::text))
    ON CONFLICT (template_name, digest) DO UPDATE
      SET seen_via = template_digests.seen_via || jsonb_build_array(EXCLUDED.first_seen_via)
      WHERE NOT (template_digests.seen_via @> jsonb_build_array(EXCLUDED.first_seen_via))
    RETURNING (xmax = 0) AS inserted`;
  const newDigest = rows[0]?.inserted === true;
  const tag = sighting.tag ?? null;
  if (tag === null) return { newDigest, tagMoved: false };
  // The partial unique index allows one open pointer per tag; a concurrent writer's insert wins and ours does nothing.
  await tx.$executeRaw`
    UPDATE template_digest_tags SET pointed_until = now()
    WHERE template_name = ${templateName} AND tag = ${tag} AND pointed_until IS NULL AND digest <> ${digest}`;
  // Raw: ON CONFLICT against the partial unique index (open pointer per tag), which Prisma's create cannot name.
  const inserted = await tx.$executeRaw`
    INSERT INTO template_digest_tags (template_name, tag, digest, seen_via)
    VALUES (${templateName}, ${tag}, ${digest}, ${via})
    ON CONFLICT (template_name, tag) WHERE pointed_until IS NULL DO NOTHING`;
  return { newDigest, tagMoved: inserted > 0 };
}

/** The digest each tag of a template points at now, as last recorded. */
export async function currentTagPointers(db: Db, templateName: string): Promise<Map<string, string>> {
  const rows = await db.templateDigestTag.findMany({
    where: { templateName, pointedUntil: null },
    select: { tag: true, digest: true },
  });
  return new Map(rows.map((row) => [row.tag, row.digest]));
}

/** Every template's current tag pointers in one query, for a watcher tick over all templates. */
export async function allCurrentTagPointers(db: Db): Promise<Map<string, Map<string, string>>> {
  const rows = await db.templateDigestTag.findMany({
    where: { pointedUntil: null },
    select: { templateName: true, tag: true, digest: true },
  });
  const byTemplate = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const tags = byTemplate.get(row.templateName) ?? new Map<string, string>();
    tags.set(row.tag, row.digest);
    byTemplate.set(row.templateName, tags);
  }
  return byTemplate;
}
