import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { liftQuarantine } from "@/lib/db/ledger/quarantine";
import { setTemplateSettings, templateSettings, type TemplateSettingsRow } from "@/lib/db/ledger/template-settings";
import { NotFoundError } from "@/lib/domain/errors";
import { isKnownRuntime } from "@/lib/domain/runtimes";
import { toLedgerDigestJson, type TemplateDigestsResponse } from "@/lib/schemas/ledger";

import { listTemplateDigests } from "./list-ledger";
import { minDigestAgeSeconds, watchedTags } from "./watch-config";

// The lib side of the ledger's token-authenticated API endpoints; the API v1 wrapper (its own
// branch) authenticates, parses with lib/schemas/ledger.ts and maps typed errors to statuses.

/** `GET /api/v1/templates/{template}/digests`: the template's ledger, newest first. NotFoundError for an unknown template. */
export async function templateDigestsResponse(
  db: Db,
  templateName: string,
  limit = 100,
): Promise<TemplateDigestsResponse> {
  requireTemplate(templateName);
  const rows = await listTemplateDigests(db, templateName, { limit });
  return { digests: rows.map(toLedgerDigestJson) };
}

/**
 * `DELETE /api/v1/templates/{template}/digests/{digest}/quarantine` with `{reason}`: lifts it, audited. NotFoundError
 * when none is in force.
 */
export async function liftQuarantineResponse(
  db: Db,
  input: { templateName: string; digest: string; reason: string },
  actor: string,
) {
  requireTemplate(input.templateName);
  const lifted = await liftQuarantine(db, input, actor);
  return {
    template: lifted.templateName,
    digest: lifted.digest,
    lifted: true as const,
    quarantine: { at: lifted.quarantine.at.toISOString(), by: lifted.quarantine.by, reason: lifted.quarantine.reason },
  };
}

/** `GET /api/v1/templates/{template}/settings`: the template's cool-down and watched tags, overrides and in force. */
export async function templateSettingsResponse(db: Db, templateName: string, env?: Env) {
  requireTemplate(templateName);
  return settingsJson(templateName, await templateSettings(db, templateName), env);
}

/** `PUT /api/v1/templates/{template}/settings`: sets (null: clears) the overrides, audited, as the template page's form does. */
export async function putTemplateSettings(
  db: Db,
  input: { templateName: string; settings: TemplateSettingsRow; reason: string | null },
  actor: string,
  env?: Env,
) {
  requireTemplate(input.templateName);
  await setTemplateSettings(db, input.templateName, input.settings, actor, input.reason);
  return settingsJson(input.templateName, input.settings, env);
}

function settingsJson(templateName: string, settings: TemplateSettingsRow, env: Env | undefined) {
  return {
    template: templateName,
    min_digest_age_seconds: settings.minDigestAgeSeconds,
    watched_tags: settings.watchedTags,
    effective: {
      min_digest_age_seconds: minDigestAgeSeconds(env, settings.minDigestAgeSeconds),
      watched_tags: watchedTags(env, settings.watchedTags),
    },
  };
}

function requireTemplate(templateName: string): void {
  if (!isKnownRuntime(templateName)) throw new NotFoundError(`Unknown template "${templateName}".`);
}
