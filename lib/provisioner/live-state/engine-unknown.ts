import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { lockFreeWhere, staleLockCutoff } from "@/lib/db/workspace-state";

import { NOT_OBSERVED } from "./status-rules";

/**
 * The engine cannot be reached: every workspace with a container on it becomes `unknown` (its
 * state is not known; `offline` is the platform's liveness verdict, not ours). With `host`, "its
 * workspaces" are the rows on that registered host only, so one dead engine never marks another's;
 * without it (one engine), all rows with a container.
 * Paused, hibernated and removed rows keep their status, and rows locked by a running
 * reprovision are left to it. Writes one audit row when anything changed; returns how many.
 */
export async function markEngineUnknown(
  db: Db,
  options: { actor: string; endpoint: string; reason: string; staleLockMs?: number; host?: string },
): Promise<number> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.workspace.updateMany({
      where: {
        containerId: { not: null },
        ...(options.host !== undefined ? { host: options.host } : {}),
        status: { notIn: [...NOT_OBSERVED, "unknown"] },
        ...lockFreeWhere(staleLockCutoff(new Date(), options.staleLockMs)),
      },
      data: { status: "unknown" },
    });
    if (count > 0) {
      await recordAudit(tx, {
        actor: options.actor,
        action: "workspace.engine_unreachable",
        targetType: "workspace",
        targetId: "*",
        reason: options.reason,
        after: {
          endpoint: options.endpoint,
          unknown: count,
          ...(options.host !== undefined ? { host: options.host } : {}),
        },
      });
    }
    return count;
  });
}
