import "server-only";

import type { Db } from "@/lib/db/client";
import { templateFleetDigests } from "@/lib/db/ledger/list-digests";
import { recordSighting } from "@/lib/db/ledger/record-digest";
import { templateSettings } from "@/lib/db/ledger/template-settings";
import type { DigestState } from "@/lib/domain/digest-state";
import { compareUrl } from "@/lib/ledger/compare-link";
import { getTemplateDigest, type LedgerDigest } from "@/lib/ledger/list-ledger";
import { fillMissingMetadata } from "@/lib/ledger/metadata-fill";
import { templateRegistry } from "@/lib/ledger/template-registry";
import { minDigestAgeSeconds } from "@/lib/ledger/watch-config";

import { resolveDigestOrTag, type PromoteDeps } from "./promote";

/** One side of a promote: what the ledger knows about the digest. */
export type PreviewSide = {
  digest: string;
  state: DigestState;
  firstSeenAt: Date;
  /** Tags pointing at it now. */
  tags: string[];
  created: Date | null;
  revision: string | null;
  source: string | null;
  version: string | null;
  size: number | null;
  platforms: string[];
  quarantine: { at: Date; by: string; reason: string } | null;
  missingFromRegistry: boolean;
};

/** From → to of a promote, for the confirm step (`from` null: the template is unpinned). */
export type PromotePreview = {
  templateName: string;
  from: PreviewSide | null;
  to: PreviewSide;
  compareUrl: string | null;
  /** to.size − from.size in bytes, null when either is unknown. */
  sizeDelta: number | null;
  coolDown: { ageSeconds: number; minAgeSeconds: number; satisfied: boolean };
  /** Live workspaces not on `to` once it is pinned (they would need a reprovision), of `fleet`. */
  staleAfter: number;
  fleet: number;
  /** Why the promote will be refused as it stands, in words (quarantine; cool-down without override), else null. */
  blocked: string | null;
};

/**
 * What promoting `digestOrTag` would do, without doing it: the digest is resolved as the promote
 * would (one HEAD), recorded in the ledger (Fleetpin met it) and its manifest and config read once
 * if never read; then from → to with tags, created, revision and compare link, size delta,
 * platforms, age against the cool-down and the workspaces that will be stale after.
 */
export async function previewPromote(
  db: Db,
  input: { templateName: string; digestOrTag: string },
  deps: PromoteDeps = {},
): Promise<PromotePreview> {
  const env = deps.env;
  const { templateName } = input;
  const digest = await resolveDigestOrTag(templateName, input.digestOrTag, deps);
  await recordSighting(db, { templateName, digest, via: "promote" });
  const pin = await db.runtimeImagePin.findUnique({ where: { templateName }, select: { digest: true } });
  if (pin) await recordSighting(db, { templateName, digest: pin.digest, via: "promote" });
  const where = templateRegistry(templateName, env, deps.registry ? () => deps.registry! : undefined);
  // A passing registry failure leaves the facts blank; the preview still shows what is known.
  await fillMissingMetadata(db, templateName, where, env);

  const [to, from, settings, fleet] = await Promise.all([
    getTemplateDigest(db, templateName, digest),
    pin ? getTemplateDigest(db, templateName, pin.digest) : Promise.resolve(null),
    templateSettings(db, templateName),
    templateFleetDigests(db, templateName),
  ]);
  if (!to) throw new Error(`the ledger lost ${digest} of ${templateName} while previewing`);
  const toSide = side(to);
  const fromSide = from ? side(from) : null;
  const minAgeSeconds = minDigestAgeSeconds(env, settings.minDigestAgeSeconds);
  const ageSeconds = Math.max(0, Math.floor((Date.now() - to.firstSeenAt.getTime()) / 1000));
  const satisfied = ageSeconds >= minAgeSeconds;
  const blocked = toSide.quarantine
    ? `quarantined by ${toSide.quarantine.by} (${toSide.quarantine.reason}); lift the quarantine first`
    : pin?.digest === digest
      ? "already pinned"
      : satisfied
        ? null
        : "younger than the cool-down; give an override reason to promote it now";
  return {
    templateName,
    from: fromSide,
    to: toSide,
    compareUrl: compareUrl(toSide.source ?? fromSide?.source ?? null, fromSide?.revision ?? null, toSide.revision),
    sizeDelta: toSide.size !== null && fromSide?.size != null ? toSide.size - fromSide.size : null,
    coolDown: { ageSeconds, minAgeSeconds, satisfied },
    staleAfter: fleet.total - (fleet.byDigest.get(digest) ?? 0),
    fleet: fleet.total,
    blocked,
  };
}

function side(row: LedgerDigest): PreviewSide {
  return {
    digest: row.digest,
    state: row.state,
    firstSeenAt: row.firstSeenAt,
    tags: row.tags.filter((tag) => tag.until === null).map((tag) => tag.tag),
    created: row.configCreated,
    revision: row.labels.revision,
    source: row.labels.source,
    version: row.labels.version,
    size: row.compressedSize,
    platforms: row.platforms ?? [],
    quarantine: row.quarantine,
    missingFromRegistry: row.registryMissingSince !== null,
  };
}
