import "server-only";

import { recordRunningDigestsTx } from "@/lib/db/ledger/running-digests";
import { recordEvent } from "@/lib/db/webhooks/record-event";
import { Prisma, type WorkspaceStatus } from "@/lib/generated/prisma/client";

import { recordAudit, type AuditEntry } from "./audit-log";
import { type DbOrTx, inTransaction, markWorkspaceStatus, releaseWorkspaceLock } from "./workspace-state";

// What a finished (re)provision writes: the row, the lock released (or kept), its audit row and events, in one transaction.

/** What a successful (re)provision leaves on the row. */
export interface ProvisionSuccess {
  workspaceId: string;
  lockToken: string;
  image: string;
  digest: string | null;
  containerId: string;
  containerName: string;
  audit: AuditEntry;
  now?: Date;
  /** The swap journal to leave (step `committed` while the old container is still to be removed), or null to clear it. */
  swapState?: Prisma.InputJsonValue | null;
  /** Keep the lock (the run still has the old container to remove); the run releases it itself. */
  keepLock?: boolean;
}

/**
 * Stores the new container and image, status `online`, clears last_error, releases the lock and writes the audit row,
 * in one transaction.
 */
export async function recordProvisionSuccess(db: DbOrTx, result: ProvisionSuccess): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.workspace.update({
      where: { id: result.workspaceId },
      data: {
        runtimeImage: result.image,
        runtimeImageDigest: result.digest,
        containerId: result.containerId,
        containerName: result.containerName,
        status: "online",
        lastError: null,
        lastProvisionedAt: result.now ?? new Date(),
        ...(result.swapState !== undefined ? { swapState: result.swapState ?? Prisma.DbNull } : {}),
      },
    });
    if (!result.keepLock) await releaseWorkspaceLock(tx, result.workspaceId, result.lockToken);
    // The digest ledger learns the digest this workspace now runs.
    if (result.digest) await recordRunningDigestsTx(tx, result.workspaceId);
    await recordAudit(tx, result.audit);
  });
}

/** What a failed (re)provision leaves on the row. */
export interface ProvisionFailure {
  workspaceId: string;
  lockToken: string;
  /** Usually the status from before the lock; `failed` when no working container is left. */
  status: WorkspaceStatus;
  lastError: string;
  audit: AuditEntry;
  /** Clear the swap journal (the old container is back); false leaves it for the repair pass. */
  clearSwap?: boolean;
}

/** Restores the status, records last_error, releases the lock and writes the audit row, in one transaction. */
export async function recordProvisionFailure(db: DbOrTx, failure: ProvisionFailure): Promise<void> {
  await inTransaction(db, async (tx) => {
    await markWorkspaceStatus(tx, failure.workspaceId, failure.status, failure.lastError);
    if (failure.clearSwap ?? true)
      await tx.workspace.update({ where: { id: failure.workspaceId }, data: { swapState: Prisma.DbNull } });
    await releaseWorkspaceLock(tx, failure.workspaceId, failure.lockToken);
    await recordAudit(tx, failure.audit);
    if (failure.audit.action === "workspace.reprovision_failed") {
      const after = (failure.audit.after ?? {}) as Record<string, unknown>;
      await recordEvent(tx, "workspace.reprovision_failed", {
        workspace_id: failure.workspaceId,
        template: failure.audit.templateName ?? null,
        error: failure.lastError,
        status: failure.status,
        stage: after.stage ?? null,
        image: after.image ?? null,
        actor: failure.audit.actor,
        reason: failure.audit.reason ?? null,
      });
    }
  });
}
