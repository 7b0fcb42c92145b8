import { z } from "zod";

import { DIGEST_SOURCES, DIGEST_STATES } from "@/lib/domain/digest-state";
import type { LedgerDigest } from "@/lib/ledger/list-ledger";

import { digestSchema, optionalReasonSchema, reasonSchema, templateNameSchema } from "./fields";

// The digest ledger's API shapes (issue 17), for the API v1 wrapper to serve:
//   GET    /api/v1/templates/{template}/digests                      → templateDigestsResponseSchema
//   DELETE /api/v1/templates/{template}/digests/{digest}/quarantine  body liftQuarantineRequestSchema → liftQuarantineResponseSchema
// and the forms' inputs (lift quarantine, per-template settings). Dates are ISO 8601 strings.

const isoDate = z.iso.datetime({ offset: true });

export const ledgerDigestSchema = z.object({
  digest: digestSchema,
  state: z.enum(DIGEST_STATES),
  first_seen_at: isoDate,
  first_seen_via: z.enum(DIGEST_SOURCES),
  seen_via: z.array(z.enum(DIGEST_SOURCES)),
  /** Every tag that pointed at it: since when, and until when (null = still does). */
  tags: z.array(z.object({ tag: z.string(), since: isoDate, until: isoDate.nullable() })),
  media_type: z.string().nullable(),
  platforms: z.array(z.string()),
  /** The image config's `created`. */
  created: isoDate.nullable(),
  revision: z.string().nullable(),
  source: z.string().nullable(),
  version: z.string().nullable(),
  /** The `org.opencontainers.image.created` label, as the image states it. */
  label_created: z.string().nullable(),
  /** Compressed size in bytes (config + layers; an index: the chosen platform's image). */
  size: z.number().int().nonnegative().nullable(),
  /** Live workspaces running it. */
  workspaces: z.number().int().nonnegative(),
  /** Where the fleet runs it: live workspaces per Docker host, most first. */
  hosts: z.array(z.object({ host: z.string(), workspaces: z.number().int().positive() })),
  quarantine: z.object({ at: isoDate, by: z.string(), reason: z.string() }).nullable(),
  missing_from_registry_since: isoDate.nullable(),
});
export type LedgerDigestJson = z.infer<typeof ledgerDigestSchema>;

export const templateDigestsResponseSchema = z.object({ digests: z.array(ledgerDigestSchema) });
export type TemplateDigestsResponse = z.infer<typeof templateDigestsResponseSchema>;

/** Path parameters of the two endpoints. */
export const templateDigestParamsSchema = z.object({ template: templateNameSchema, digest: digestSchema });

/** Lifting a quarantine needs a reason (audited). */
export const liftQuarantineRequestSchema = z.object({ reason: reasonSchema });
export const liftQuarantineResponseSchema = z.object({
  template: z.string(),
  digest: digestSchema,
  lifted: z.literal(true),
  quarantine: z.object({ at: isoDate, by: z.string(), reason: z.string() }),
});

/** The form posting a lift from the template page. */
export const liftQuarantineFormSchema = z.object({
  templateName: templateNameSchema,
  digest: digestSchema,
  reason: reasonSchema,
});

/** What promote preview reads from the page's query. */
export const promotePreviewQuerySchema = z.object({
  template: templateNameSchema,
  digestOrTag: z.string().trim().min(1).max(200),
});

/** A tag the watcher follows. */
const watchedTagSchema = z.string().regex(/^\w[\w.-]{0,127}$/, { error: "Tags are letters, digits, _ . and -." });

/** Per-template settings form: cool-down seconds (blank = env default) and watched tags (blank = env default). */
export const templateSettingsFormSchema = z.object({
  templateName: templateNameSchema,
  minDigestAgeSeconds: z
    .string()
    .trim()
    .transform((value) => (value === "" ? null : Number(value)))
    .pipe(
      z
        .number()
        .int()
        .min(0)
        .max(365 * 86_400)
        .nullable(),
    ),
  watchedTags: z
    .string()
    .trim()
    .transform((value) => (value === "" ? null : value.split(/[\s,]+/).filter(Boolean)))
    .pipe(z.array(watchedTagSchema).max(20).nullable()),
  reason: optionalReasonSchema,
});

/** `PUT /api/v1/templates/{template}/settings`: a template's overrides; null (or left out) follows the env default. */
export const templateSettingsRequestSchema = z.object({
  min_digest_age_seconds: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400)
    .nullable()
    .optional()
    .describe("the cool-down in seconds for this template; null follows FLEETPIN_MIN_DIGEST_AGE"),
  watched_tags: z
    .array(watchedTagSchema)
    .min(1)
    .max(20)
    .nullable()
    .optional()
    .describe("the tags the watcher follows for this template; null follows FLEETPIN_WATCH_TAGS"),
  reason: optionalReasonSchema,
});

/** A template's overrides and what is in force with them (the env defaults filled in). */
export const templateSettingsResponseSchema = z.object({
  template: z.string(),
  min_digest_age_seconds: z.number().int().nonnegative().nullable(),
  watched_tags: z.array(z.string()).nullable(),
  effective: z.object({ min_digest_age_seconds: z.number().int().nonnegative(), watched_tags: z.array(z.string()) }),
});

/** A ledger row as the API serves it (validated by templateDigestsResponseSchema in its test). */
export function toLedgerDigestJson(row: LedgerDigest): LedgerDigestJson {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    digest: row.digest,
    state: row.state,
    first_seen_at: row.firstSeenAt.toISOString(),
    first_seen_via: row.firstSeenVia as LedgerDigestJson["first_seen_via"],
    seen_via: row.seenVia as LedgerDigestJson["seen_via"],
    tags: row.tags.map((tag) => ({ tag: tag.tag, since: tag.since.toISOString(), until: iso(tag.until) })),
    media_type: row.mediaType,
    platforms: row.platforms ?? [],
    created: iso(row.configCreated),
    revision: row.labels.revision,
    source: row.labels.source,
    version: row.labels.version,
    label_created: row.labels.created,
    size: row.compressedSize,
    workspaces: row.workspaces,
    hosts: row.hosts,
    quarantine: row.quarantine && {
      at: row.quarantine.at.toISOString(),
      by: row.quarantine.by,
      reason: row.quarantine.reason,
    },
    missing_from_registry_since: iso(row.registryMissingSince),
  };
}
