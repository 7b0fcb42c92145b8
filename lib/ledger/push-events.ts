// Reading the registry's notification envelope (Distribution's `notifications.endpoints`): which
// pushes name a template repository. Pure; a hint only (the watcher stays the source of truth).
import { z } from "zod";

import { DIGEST_PATTERN, TAG_PATTERN } from "@/lib/domain/image-ref";
import { MANIFEST_ACCEPT } from "@/lib/provisioner/registry/manifest";

const MANIFEST_TYPES = new Set(MANIFEST_ACCEPT.split(", "));

/** The envelope, leniently: unknown fields pass, each event is judged on its own. */
export const registryEventsEnvelopeSchema = z.object({
  events: z
    .array(
      z.looseObject({
        action: z.string().optional(),
        target: z
          .looseObject({
            mediaType: z.string().optional(),
            digest: z.string().optional(),
            repository: z.string().optional(),
            tag: z.string().optional(),
          })
          .optional(),
      }),
    )
    .max(1000),
});

/** A push of a template's manifest: its digest and the tag pushed (null for a push by digest). */
export type PushSighting = { templateName: string; digest: string; tag: string | null };

/**
 * The pushes of template manifests in an envelope (`repositories`: repository path → template
 * name). Blob pushes, pulls, deletes, other repositories and malformed events are skipped and counted.
 */
export function pushSightings(
  envelope: z.infer<typeof registryEventsEnvelopeSchema>,
  repositories: ReadonlyMap<string, string>,
): { sightings: PushSighting[]; skipped: number } {
  const sightings: PushSighting[] = [];
  let skipped = 0;
  for (const event of envelope.events) {
    const target = event.target;
    const templateName = target?.repository ? repositories.get(target.repository) : undefined;
    const manifest = target?.mediaType === undefined || MANIFEST_TYPES.has(target.mediaType);
    if (event.action !== "push" || !templateName || !manifest || !DIGEST_PATTERN.test(target?.digest ?? "")) {
      skipped++;
      continue;
    }
    const tag = target?.tag && TAG_PATTERN.test(target.tag) ? target.tag : null;
    const sighting = { templateName, digest: target!.digest!, tag };
    // Distribution may send the same push twice (retries): one sighting each.
    if (
      !sightings.some(
        (s) => s.templateName === sighting.templateName && s.digest === sighting.digest && s.tag === sighting.tag,
      )
    )
      sightings.push(sighting);
  }
  return { sightings, skipped };
}
