import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

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

/** Sets (or clears, with null) a template's overrides, audited in the same transaction. */
export async function setTemplateSettings(
  db: Db,
  templateName: string,
  settings: TemplateSettingsRow,
  actor: string,
  reason: string | null = null,
): Promise<void> {
  const data = {
    minDigestAgeSeconds: settings.minDigestAgeSeconds,
    watchedTags: settings.watchedTags ?? Prisma.DbNull,
    updatedAt: new Date(),
    updatedBy: actor,
  };
  await db.$transaction(async (tx) => {
    const before = await tx.templateSettings.findUnique({ where: { templateName } });
    await tx.templateSettings.upsert({ where: { templateName }, create: { templateName, ...data }, update: data });
    await recordAudit(tx, {
      actor,
      action: "template.settings",
      targetType: "pin",
      targetId: templateName,
      templateName,
      reason,
      before: before ? toSettings(before) : null,
      after: settings,
    });
  });
}

function toSettings(row: { minDigestAgeSeconds: number | null; watchedTags: unknown }): TemplateSettingsRow {
  const tags = Array.isArray(row.watchedTags)
    ? row.watchedTags.filter((tag): tag is string => typeof tag === "string")
    : null;
  return { minDigestAgeSeconds: row.minDigestAgeSeconds, watchedTags: tags && tags.length > 0 ? tags : null };
}
