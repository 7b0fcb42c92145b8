import "server-only";

import type { Db } from "@/lib/db/client";

/** A template's overrides; null fields follow the env defaults. */
export type TemplateSettingsRow = { minDigestAgeSeconds: number | null; watchedTags: string[] | null };

/** Every template's overrides, by template name. */
export async function allTemplateSettings(db: Db): Promise<Map<string, TemplateSettingsRow>> {
  const rows = await db.templateSettings.findMany();
  return new Map(rows.map((row) => [row.templateName, toSettings(row)]));
}

/** One template's overrides (both null when it has none). */
export async function templateSettings(db: Db, templateName: string): Promise<TemplateSettingsRow> {
  const row = await db.templateSettings.findUnique({ where: { templateName } });
  return row ? toSettings(row) : { minDigestAgeSeconds: null, watchedTags: null };
}

/** Sets (or clears, with null) a template's overrides. */
export async function setTemplateSettings(db: Db, templateName: string, settings: TemplateSettingsRow, actor: string): Promise<void> {
  const data = { minDigestAgeSeconds: settings.minDigestAgeSeconds, watchedTags: settings.watchedTags ?? undefined, updatedAt: new Date(), updatedBy: actor };
  await db.templateSettings.upsert({ where: { templateName }, create: { templateName, ...data }, update: data });
}

function toSettings(row: { minDigestAgeSeconds: number | null; watchedTags: unknown }): TemplateSettingsRow {
  const tags = Array.isArray(row.watchedTags) ? row.watchedTags.filter((tag): tag is string => typeof tag === "string") : null;
  return { minDigestAgeSeconds: row.minDigestAgeSeconds, watchedTags: tags && tags.length > 0 ? tags : null };
}
