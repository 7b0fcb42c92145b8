import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { lockFreeWhere, lockIsHeld, staleLockCutoff } from "@/lib/db/workspace-state";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DockerEvent } from "@/lib/provisioner/docker/event-types";
import { runningImageDigest } from "@/lib/provisioner/docker/running-digest";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { MISSING_CONTAINER_ERROR, rowChanges } from "@/lib/provisioner/sync/row-changes";

import { isUnhealthy, statusForMissingContainer } from "./status-rules";

/** What one event led to: the row written, nothing to do, or "a full reconcile must decide". */
export type EventOutcome = "updated" | "unchanged" | "needs-reconcile";

/**
 * Applies one container event to the row that records that container, with two Docker calls
 * (list for the health text, inspect) instead of a full reconcile of the fleet. A container no
 * row records (new, adopted, or the other half of a swap) is left to the full reconcile, whose
 * identity and ambiguity rules decide. Rows locked by a running reprovision, removed rows and
 * rows that changed meanwhile are left alone, as sync does. Audits what it writes.
 */
export async function applyContainerEvent(
  db: Db,
  docker: DockerClient,
  event: DockerEvent,
  options: { actor: string; staleLockMs?: number },
): Promise<EventOutcome> {
  if (event.type !== "container" || event.id === "") return "unchanged";
  const startedAt = new Date();
  const staleBefore = staleLockCutoff(startedAt, options.staleLockMs);
  const row = await db.workspace.findFirst({ where: { containerId: event.id }, orderBy: { updatedAt: "desc" } });
  if (!row) return event.action === "destroy" ? "unchanged" : "needs-reconcile";
  if (row.status === "removed") return "unchanged"; // a tombstone is never brought back by Docker's state
  if (lockIsHeld(row, staleBefore)) return "unchanged"; // the reprovision owns the row and will write it

  const container = event.action === "destroy" ? null : await docker.inspectContainer(event.id);
  let data: Prisma.WorkspaceUpdateManyMutationInput;
  if (!container) {
    const status = statusForMissingContainer(row.status);
    data =
      status === "down" ? { status, containerId: null, lastError: MISSING_CONTAINER_ERROR } : { containerId: null };
  } else {
    const summary = (await docker.listManagedContainers()).find((candidate) => candidate.id === container.id);
    data = rowChanges(row, {
      container,
      digest: await runningImageDigest(docker, container),
      unhealthy: isUnhealthy(summary?.statusText ?? ""),
    });
  }
  if (Object.keys(data).length === 0) return "unchanged";

  return db.$transaction(async (tx) => {
    const { count } = await tx.workspace.updateMany({
      where: {
        id: row.id,
        containerId: event.id,
        status: { not: "removed" },
        updatedAt: { lte: startedAt },
        ...lockFreeWhere(staleBefore),
      },
      data,
    });
    if (count === 0) return "needs-reconcile"; // changed meanwhile: let the full reconcile look again
    await recordAudit(tx, {
      actor: options.actor,
      action: "workspace.live_state",
      targetType: "workspace",
      targetId: row.id,
      reason: `docker event ${event.action}`,
      before: { status: row.status, containerId: row.containerId },
      after: { ...(data as Record<string, Prisma.InputJsonValue>) },
    });
    return "updated";
  });
}
