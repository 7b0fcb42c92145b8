import "server-only";

import type { Db } from "@/lib/db/client";
import { currentTagPointers, recordSighting } from "@/lib/db/ledger/record-digest";

import type { PushSighting } from "./push-events";
import type { TemplateRegistry } from "./template-registry";

/** What confirming the pushed tags of one template found. */
export type TagConfirmation = { tag: string; eventDigest: string; registryDigest: string | null };

/**
 * A push event says which digest a tag got, but events come late, twice, or out of order: one
 * arriving after a newer push would move the tag back to an old digest. So an event's tag is
 * never written as it stands: one HEAD per pushed tag asks the registry where the tag points now,
 * and that answer is recorded (the watcher's rule, only sooner). An event that agrees records its
 * tag as a push_event; a late one records where the tag really is (and nothing when the ledger
 * has that already); a tag gone from the registry records nothing.
 */
export async function confirmPushedTags(
  db: Db,
  templateName: string,
  sightings: readonly PushSighting[],
  where: TemplateRegistry,
): Promise<TagConfirmation[]> {
  const latestByTag = new Map<string, string>();
  for (const sighting of sightings)
    if (sighting.templateName === templateName && sighting.tag) latestByTag.set(sighting.tag, sighting.digest);
  if (latestByTag.size === 0) return [];
  const pointers = await currentTagPointers(db, templateName);
  const confirmations: TagConfirmation[] = [];
  for (const [tag, eventDigest] of latestByTag) {
    const head = await where.client.headManifest(where.repository, tag);
    const registryDigest =
      head === null ? null : (head.digest ?? (await where.client.resolveDigest(where.repository, tag)));
    confirmations.push({ tag, eventDigest, registryDigest });
    if (registryDigest === null || pointers.get(tag) === registryDigest) continue;
    await recordSighting(db, {
      templateName,
      digest: registryDigest,
      via: registryDigest === eventDigest ? "push_event" : "watcher",
      tag,
    });
  }
  return confirmations;
}
