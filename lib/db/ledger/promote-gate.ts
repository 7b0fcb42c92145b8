import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

import { lockActiveQuarantine, type ActiveQuarantine } from "./quarantine";

type Tx = Prisma.TransactionClient;

/** What a promote must know about the digest it pins, read inside its transaction. */
export type PromoteGateFacts = {
  quarantine: ActiveQuarantine | null;
  /** Seconds since Fleetpin first met the digest (database clock), null when the ledger has no row. */
  ageSeconds: number | null;
  /** The template's cool-down override (null = the env default). */
  minAgeOverride: number | null;
};

/** Locks the digest's ledger row and reads its quarantine, age and the template's cool-down override. */
export async function readPromoteGate(tx: Tx, templateName: string, digest: string): Promise<PromoteGateFacts> {
  const quarantine = await lockActiveQuarantine(tx, templateName, digest);
  // Age by the database's clock, the same one that wrote first_seen_at: app and database clocks may differ.
  const ages = await tx.$queryRaw<{ age: number }[]>`
    SELECT extract(epoch FROM now() - first_seen_at)::float8 AS age FROM template_digests
    WHERE template_name = ${templateName} AND digest = ${digest}`;
  const settings = await tx.templateSettings.findUnique({
    where: { templateName },
    select: { minDigestAgeSeconds: true },
  });
  return {
    quarantine,
    ageSeconds: ages[0] ? Math.max(0, Number(ages[0].age)) : null,
    minAgeOverride: settings?.minDigestAgeSeconds ?? null,
  };
}
