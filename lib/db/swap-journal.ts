import "server-only";

import { Prisma } from "@/lib/generated/prisma/client";

import { recordAudit } from "./audit-log";
import type { Db } from "./client";
import type { DbOrTx } from "./workspace-state";

/**
 * The swap journal: the state of a container swap in flight, on the workspace row
 * (`workspaces.swap_state`), written BEFORE each step so that whoever finds it after a crash
 * knows what may have happened. Steps in order:
 *   stopping → renaming → creating → starting → gating → committed
 * and `rolling_back` when a step failed. NULL means at rest.
 */
export type SwapStep = "stopping" | "renaming" | "creating" | "starting" | "gating" | "committed" | "rolling_back";

/** What a swap records; `request` is the new container's full create request, so it can be created again. */
export interface SwapRecord {
  step: SwapStep;
  /** The lock token of the run that wrote it (an operation item id, or `adhoc:…`). */
  lockToken: string;
  targetImage: string;
  oldContainerId: string | null;
  /** The name the old container had, which the new one takes. */
  name: string;
  /** The name the old container was renamed to, once it was. */
  asideName: string | null;
  oldWasRunning: boolean;
  newContainerId: string | null;
  request: Prisma.InputJsonValue;
  updatedAt: string;
}

/** Writes the journal (only while `lockToken` holds the workspace), refreshing the lock's heartbeat too. */
export async function writeSwapRecord(
  db: DbOrTx,
  workspaceId: string,
  record: Omit<SwapRecord, "updatedAt">,
): Promise<void> {
  const now = new Date();
  const { count } = await db.workspace.updateMany({
    where: { id: workspaceId, lockedBy: record.lockToken },
    data: { swapState: { ...record, updatedAt: now.toISOString() } as unknown as Prisma.InputJsonValue, lockedAt: now },
  });
  // Losing the lock mid-swap means another run took it over as stale: continuing would race it.
  if (count !== 1)
    throw new Error(`the lock on workspace ${workspaceId} was lost during the swap (step ${record.step})`);
}

/** Clears the journal: the workspace is at rest. */
export async function clearSwapRecord(db: DbOrTx, workspaceId: string): Promise<void> {
  await db.workspace.updateMany({ where: { id: workspaceId }, data: { swapState: Prisma.DbNull } });
}

/** The journal of one workspace, or null at rest. */
export function readSwapRecord(value: unknown): SwapRecord | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as Partial<SwapRecord>;
  return typeof record.step === "string" && typeof record.name === "string" ? (record as SwapRecord) : null;
}

/** Workspaces whose swap is not at rest (read through the partial index idx_workspaces_swap_pending). */
export async function listPendingSwaps(
  db: Db,
  host?: string,
): Promise<
  { id: string; name: string; runtime: string; lockedBy: string | null; lockedAt: Date | null; swapState: unknown }[]
> {
  return db.workspace.findMany({
    // `host`: only that Docker host's swaps, for its own repair pass (a swap is repaired on its engine).
    where: { swapState: { not: Prisma.DbNull }, ...(host !== undefined ? { host } : {}) },
    select: { id: true, name: true, runtime: true, lockedBy: true, lockedAt: true, swapState: true },
  });
}

/** What a repaired swap leaves: the container the workspace now runs. */
export interface SwapRepair {
  workspaceId: string;
  lockToken: string;
  container: { id: string; name: string; image: string; digest: string | null };
  detail: string;
  /** The journal that was repaired (its lockToken names the operation item that owned the swap). */
  record: SwapRecord;
  actor: string;
}

/**
 * Records a repaired swap in one transaction: the workspace at rest on `container` (online,
 * journal cleared, lock released), the audit row, and the repair appended to the operation
 * item whose run left the swap behind, so the operation says where the workspace ended.
 */
export async function recordSwapRepair(db: Db, repair: SwapRepair): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.workspace.update({
      where: { id: repair.workspaceId },
      data: {
        containerId: repair.container.id,
        containerName: repair.container.name,
        runtimeImage: repair.container.image,
        runtimeImageDigest: repair.container.digest,
        status: "online",
        lastError: null,
        swapState: Prisma.DbNull,
        lockedBy: null,
        lockedAt: null,
      },
    });
    await recordAudit(tx, {
      actor: repair.actor,
      action: "workspace.swap_repaired",
      targetType: "workspace",
      targetId: repair.workspaceId,
      before: {
        step: repair.record.step,
        oldContainerId: repair.record.oldContainerId,
        newContainerId: repair.record.newContainerId,
        targetImage: repair.record.targetImage,
      },
      after: {
        containerId: repair.container.id,
        image: repair.container.image,
        digest: repair.container.digest,
        detail: repair.detail,
      },
    });
    if (/^\d+$/.test(repair.record.lockToken)) {
      // The item's error keeps what went wrong; its outcome now says where the workspace ended.
      await tx.operationItem.updateMany({
        where: { id: BigInt(repair.record.lockToken) },
        data: { outcome: `repaired after the run was cut short: ${repair.detail} (${repair.container.image})` },
      });
    }
  });
}
