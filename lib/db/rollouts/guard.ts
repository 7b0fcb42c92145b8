import "server-only";

import { ConflictError } from "@/lib/domain/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Reader = Pick<Prisma.TransactionClient, "rollout">;

/**
 * Refuses `doing` (a promote, a rollback, a bulk reprovision) on a template that has a running or
 * paused rollout: the rollout owns the template's pin and fleet until it ends. The message names
 * the rollout and where it stands, so the operator knows what to abort or wait for.
 */
export async function refuseDuringRollout(tx: Reader, templateName: string, doing: string): Promise<void> {
  const message = await activeRolloutMessage(tx, templateName);
  if (message) throw new ConflictError(`${message}: abort it or wait before ${doing}.`);
}

/** "hermes has rollout <id> running (canary baking)", or null when the template has no active rollout. */
export async function activeRolloutMessage(tx: Reader, templateName: string): Promise<string | null> {
  const active = await tx.rollout.findFirst({
    where: { templateName, status: { in: ["running", "paused"] } },
    select: {
      id: true,
      status: true,
      currentRing: true,
      rings: { select: { position: true, name: true, status: true } },
    },
  });
  if (!active) return null;
  const ring = active.rings.find((candidate) => candidate.position === active.currentRing);
  const where = ring ? ` (${ring.name} ${ring.status.replace("_", " ")})` : "";
  return `${templateName} has rollout ${active.id} ${active.status}${where}`;
}
