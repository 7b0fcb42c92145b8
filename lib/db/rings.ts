import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { ringListProblems, type RingConfig, type RingProbe, type RingSelector } from "@/lib/domain/rings";
import { Prisma } from "@/lib/generated/prisma/client";

import { recordAudit } from "./audit-log";
import type { Db } from "./client";

// The configured rings (issue 18), one row per ring in order. No rows = rings are off, and a
// promote moves the whole pin at once as it always did.

type RingRow = {
  name: string;
  bakeSeconds: number;
  failureBudget: number;
  maxUnavailable: number;
  autoAdvance: boolean;
  selector: Prisma.JsonValue | null;
  probe: Prisma.JsonValue | null;
};

/** `templates`: the templates the rings apply to; empty = every template. */
export type RingsSetting = { enabled: boolean; rings: RingConfig[]; templates: string[] };

export async function loadRings(db: Db | Prisma.TransactionClient): Promise<RingsSetting> {
  const rows = await db.ring.findMany({ orderBy: { position: "asc" } });
  const templates = await db.ringTemplate.findMany({
    orderBy: { templateName: "asc" },
    select: { templateName: true },
  });
  return {
    enabled: rows.length > 0,
    rings: rows.map(ringFromRow),
    templates: templates.map((row) => row.templateName),
  };
}

/** Whether a promote of `templateName` rolls out ring by ring. */
export function ringsApplyTo(setting: RingsSetting, templateName: string): boolean {
  return setting.enabled && (setting.templates.length === 0 || setting.templates.includes(templateName));
}

/** Replaces the whole ordered list (the PUT's semantics), checked by the domain's rules, with its audit row. */
export async function replaceRings(
  db: Db,
  rings: RingConfig[],
  actor: string,
  /** `templates`: replace the templates the rings apply to ([] = all); undefined keeps them as they are. */
  options: { templates?: string[] } = {},
): Promise<RingConfig[]> {
  const problems = ringListProblems(rings);
  if (problems.length > 0) throw new ValidationError(problems.join(" "), { rings: problems });
  return db.$transaction(async (tx) => {
    const before = await loadRings(tx);
    await tx.ring.deleteMany({});
    await tx.ring.createMany({
      data: rings.map((ring, position) => ({ ...ringColumns(ring, position), updatedBy: actor })),
    });
    if (options.templates !== undefined) await replaceTemplates(tx, options.templates, actor);
    await recordAudit(tx, {
      actor,
      action: "rings.replaced",
      targetType: "rings",
      targetId: "rings",
      before: before.enabled ? (before.rings as unknown as Prisma.InputJsonArray) : null,
      after: rings as unknown as Prisma.InputJsonArray,
      ...(options.templates !== undefined ? { reason: `templates: ${options.templates.join(", ") || "all"}` } : {}),
    });
    return (await loadRings(tx)).rings;
  });
}

/** Back to "no rings": promote moves the whole pin at once again. Rollouts under way go on with their copy. */
export async function disableRings(db: Db, actor: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await loadRings(tx);
    await tx.ring.deleteMany({});
    await tx.ringTemplate.deleteMany({});
    await recordAudit(tx, {
      actor,
      action: "rings.disabled",
      targetType: "rings",
      targetId: "rings",
      before: before.rings as unknown as Prisma.InputJsonArray,
      after: null,
    });
  });
}

async function replaceTemplates(tx: Prisma.TransactionClient, templates: string[], actor: string): Promise<void> {
  await tx.ringTemplate.deleteMany({});
  const unique = [...new Set(templates.map((name) => name.trim()).filter((name) => name !== ""))];
  await tx.ringTemplate.createMany({ data: unique.map((templateName) => ({ templateName, addedBy: actor })) });
}

/** A ring row (of `rings` or a rollout's copy in `rollout_rings`) as the domain's RingConfig. */
export function ringFromRow(row: RingRow): RingConfig {
  return {
    name: row.name,
    bakeSeconds: row.bakeSeconds,
    failureBudget: row.failureBudget,
    maxUnavailable: row.maxUnavailable,
    autoAdvance: row.autoAdvance,
    selector: row.selector === null ? null : (row.selector as RingSelector),
    ...(row.probe !== null ? { probe: row.probe as RingProbe } : {}),
  };
}

/** A ring's config as the columns `rings` and `rollout_rings` share (a rollout keeps a copy of each ring). */
export function ringColumns(ring: RingConfig, position: number) {
  return {
    position,
    name: ring.name,
    bakeSeconds: ring.bakeSeconds,
    failureBudget: ring.failureBudget,
    maxUnavailable: ring.maxUnavailable,
    autoAdvance: ring.autoAdvance,
    selector: ring.selector === null ? Prisma.DbNull : (ring.selector as Prisma.InputJsonObject),
    probe: ring.probe ? (ring.probe as Prisma.InputJsonObject) : Prisma.DbNull,
  };
}
