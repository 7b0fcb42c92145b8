import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import {
  liftQuarantineResponse,
  putTemplateSettings,
  templateDigestsResponse,
  templateSettingsResponse,
} from "@/lib/ledger/api";
import {
  liftQuarantineRequestSchema,
  liftQuarantineResponseSchema,
  templateDigestParamsSchema,
  templateDigestsResponseSchema,
  templateSettingsRequestSchema,
  templateSettingsResponseSchema,
} from "@/lib/schemas/ledger";

import { templateParams } from "./pin-changes";

/** GET /templates/{template}/digests: the template's digest ledger, newest first, as its page shows it. */
export const templateDigestsRoute = defineApiRoute({
  method: "GET",
  path: "/templates/{template}/digests",
  role: "viewer",
  tag: "ledger",
  summary: "List every digest Fleetpin has met for a template",
  description:
    "Each digest with its state (candidate, pinned, previous, quarantined, seen), when Fleetpin first saw it, the tags that pointed at it, its image metadata and the workspaces running it.",
  params: templateParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
  success: { status: 200, description: "Newest first", schema: templateDigestsResponseSchema },
  run: async ({ db, params, query }) => templateDigestsResponse(db, params.template, query.limit ?? 100),
});

/** DELETE /templates/{template}/digests/{digest}/quarantine: lifts a quarantine with a reason (audited). */
export const liftQuarantineRoute = defineApiRoute({
  method: "DELETE",
  path: "/templates/{template}/digests/{digest}/quarantine",
  role: "operator",
  tag: "ledger",
  summary: "Lift a digest's quarantine so it can be promoted again",
  description: "404 when the digest is not quarantined. A rollback quarantines the digest it leaves.",
  params: templateDigestParamsSchema,
  body: liftQuarantineRequestSchema,
  success: { status: 200, description: "The quarantine that was lifted", schema: liftQuarantineResponseSchema },
  run: async ({ db, caller, params, body }) =>
    liftQuarantineResponse(
      db,
      { templateName: params.template, digest: params.digest, reason: body.reason },
      caller.actor,
    ),
});

/** GET /templates/{template}/settings: the template's cool-down and watched tags (overrides and in force). */
export const templateSettingsRoute = defineApiRoute({
  method: "GET",
  path: "/templates/{template}/settings",
  role: "viewer",
  tag: "ledger",
  summary: "Read a template's cool-down and watched tags",
  description:
    "The per-template overrides (null: the env default) and the values in force: FLEETPIN_MIN_DIGEST_AGE and FLEETPIN_WATCH_TAGS fill what is not overridden.",
  params: templateParams,
  success: { status: 200, description: "Overrides and values in force", schema: templateSettingsResponseSchema },
  run: async ({ db, params, deps }) => templateSettingsResponse(db, params.template, deps.env),
});

/** PUT /templates/{template}/settings: sets a template's cool-down and watched tags, audited. */
export const putTemplateSettingsRoute = defineApiRoute({
  method: "PUT",
  path: "/templates/{template}/settings",
  role: "operator",
  tag: "ledger",
  summary: "Set a template's cool-down and watched tags",
  description:
    "Replaces both overrides: a field left out or null follows the env default again. Audited as template.settings, with the reason when given.",
  params: templateParams,
  body: templateSettingsRequestSchema,
  success: { status: 200, description: "The settings now", schema: templateSettingsResponseSchema },
  run: async ({ db, caller, params, body, deps }) =>
    putTemplateSettings(
      db,
      {
        templateName: params.template,
        settings: {
          minDigestAgeSeconds: body.min_digest_age_seconds ?? null,
          watchedTags: body.watched_tags ?? null,
        },
        reason: body.reason ?? null,
      },
      caller.actor,
      deps.env,
    ),
});
