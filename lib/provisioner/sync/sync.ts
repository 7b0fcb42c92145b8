import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import { recordRunningDigestsTx } from "@/lib/db/ledger/running-digests";
import { lockFreeWhere, lockIsHeld, staleLockCutoff } from "@/lib/db/workspace-state";
import { errorMessage } from "@/lib/domain/errors";
import type { Prisma, Workspace, WorkspaceStatus } from "@/lib/generated/prisma/client";
import type { ContainerStatus } from "@/lib/provisioner/docker/types";
import { statusForContainer, statusForMissingContainer } from "@/lib/provisioner/live-state/status-rules";
import { mapLimit } from "@/lib/util/map-limit";

import { groupObservations, observeContainers, type Observation } from "./observe";
import { containerFields, MISSING_CONTAINER_ERROR, rowChanges } from "./row-changes";
import type { SyncDeps, SyncResult } from "./types";

export type { SyncDeps, SyncError, SyncResult, SyncSkip } from "./types";

export { MISSING_CONTAINER_ERROR } from "./row-changes";

const INSPECT_CONCURRENCY = 8;
const AUDIT_ID_LIMIT = 100;

/**
 * Brings `workspaces` in line with the managed containers Docker has: adopts containers whose
 * workspace can be read from them (Fleetpin's labels, or what the platform wrote: WORKSPACE_ID
 * env, `ws-<id12>` name, template image) and that have no row, refreshes container/status/image/
 * digest of rows that have one, and marks rows whose container is gone (`down`, container_id
 * NULL). Containers are never changed. Unreadable or ambiguous containers, removed rows, rows
 * locked by a running reprovision and rows that changed while sync was looking are left alone
 * and listed on `skipped`. One bad container never stops the others.
 */
export async function syncFromDocker(deps: SyncDeps): Promise<SyncResult> {
  const { db, docker } = deps;
  const startedAt = new Date();
  const result: SyncResult = { adopted: [], updated: [], missing: [], skipped: [], errors: [] };

  // 1. Look at Docker (no transaction open while waiting on the daemon).
  const summaries = await docker.listManagedContainers();
  const observed = await observeContainers(docker, summaries, result);
  const listedIds = new Set(summaries.map((summary) => summary.id));

  // Rows pointing at a container that is not in the managed list: gone, or merely unlabelled?
  const onHost = deps.host === undefined ? {} : { host: deps.host };
  const rowsBefore = await db.workspace.findMany({
    where: { status: { not: "removed" }, containerId: { not: null }, ...onHost },
  });
  const goneContainers = new Set<string>();
  await mapLimit(
    rowsBefore.filter((row) => !listedIds.has(row.containerId!)),
    INSPECT_CONCURRENCY,
    async (row) => {
      try {
        if ((await docker.inspectContainer(row.containerId!)) === null) goneContainers.add(row.containerId!);
        else
          result.skipped.push({
            workspaceId: row.id,
            containerId: row.containerId,
            containerName: row.containerName,
            reason: "its container exists but is not labelled as managed",
          });
      } catch (error) {
        result.errors.push({
          workspaceId: row.id,
          containerId: row.containerId,
          containerName: row.containerName,
          message: errorMessage(error),
        });
      }
    },
  );

  // 2. Write everything plus the audit row in one transaction.
  const staleBefore = staleLockCutoff(startedAt, deps.staleLockMs);
  await db.$transaction(async (tx) => {
    const rows = await tx.workspace.findMany({
      where: {
        OR: [
          { id: { in: observed.flatMap((o) => (o.workspaceId ? [o.workspaceId] : [])) } },
          { containerId: { in: [...observed.map((o) => o.container.id), ...goneContainers] } },
          { containerName: { in: observed.map((o) => o.container.name) } },
        ],
      },
    });
    const changedSince = (row: Workspace) => row.updatedAt > startedAt;
    const unlockedWhere = (row: Workspace): Prisma.WorkspaceWhereInput => ({
      id: row.id,
      // Not equality: rows written by raw SQL carry microseconds a JS Date cannot hold.
      updatedAt: { lte: startedAt },
      ...lockFreeWhere(staleBefore),
    });
    const skip = (o: Observation, workspaceId: string | null, reason: string) =>
      result.skipped.push({ workspaceId, containerId: o.container.id, containerName: o.container.name, reason });

    for (const [workspaceId, [current]] of groupObservations(observed, rows, result)) {
      if (!current) continue;
      const row = rows.find((candidate) => candidate.id === workspaceId);
      // No try/catch per row here: in PostgreSQL a failed statement aborts the whole
      // transaction anyway. Per-container trouble (Docker) was collected in step 1.
      if (!row) {
        if (!current.runtime) {
          skip(current, workspaceId, `cannot adopt: ${current.runtimeProblem ?? "runtime unreadable"}`);
          continue;
        }
        const { count } = await tx.workspace.createMany({
          data: [
            {
              id: workspaceId,
              name: current.container.name,
              runtime: current.runtime,
              ...containerFields(current, null),
              ...onHost,
            },
          ],
          skipDuplicates: true,
        });
        if (count === 1) result.adopted.push(workspaceId);
        else skip(current, workspaceId, "the workspace was created while sync was running");
      } else if (row.status === "removed") skip(current, row.id, "the workspace was removed");
      else if (lockIsHeld(row, staleBefore)) skip(current, row.id, "a reprovision of this workspace is running");
      else if (changedSince(row)) skip(current, row.id, "the workspace changed while sync was running");
      else {
        // The container was seen on this host: that is where the workspace lives now.
        const data = {
          ...rowChanges(row, current),
          ...(deps.host !== undefined && row.host !== deps.host ? { host: deps.host } : {}),
        };
        if (Object.keys(data).length === 0) continue;
        const { count } = await tx.workspace.updateMany({ where: unlockedWhere(row), data });
        if (count === 1) result.updated.push(row.id);
        else skip(current, row.id, "the workspace changed while sync was running");
      }
    }

    for (const row of rows) {
      if (!row.containerId || !goneContainers.has(row.containerId) || row.status === "removed") continue;
      if (deps.host !== undefined && row.host !== deps.host) continue;
      if (lockIsHeld(row, staleBefore) || changedSince(row)) {
        result.skipped.push({
          workspaceId: row.id,
          containerId: row.containerId,
          containerName: row.containerName,
          reason: "its container is gone, but a reprovision is running or the row just changed",
        });
        continue;
      }
      const status = statusForMissingContainer(row.status);
      const { count } = await tx.workspace.updateMany({
        where: { ...unlockedWhere(row), containerId: row.containerId },
        // A paused or hibernated workspace's container may be removed on purpose (the platform's Stop removes it).
        data:
          status === "down" ? { status, containerId: null, lastError: MISSING_CONTAINER_ERROR } : { containerId: null },
      });
      if (count === 1) result.missing.push(row.id);
    }

    // The digest ledger learns what the fleet runs (digests met on running containers).
    await recordRunningDigestsTx(tx);
    const changed = result.adopted.length + result.updated.length + result.missing.length;
    if (deps.audit === "changes" && changed === 0) return;
    await recordAudit(tx, {
      actor: deps.actor,
      action: "workspace.sync",
      targetType: "workspace",
      targetId: "*",
      after: {
        ...(deps.host !== undefined ? { host: deps.host } : {}),
        containers: summaries.length,
        adopted: result.adopted.length,
        updated: result.updated.length,
        missing: result.missing.length,
        skipped: result.skipped.length,
        errors: result.errors.length,
        adoptedIds: result.adopted.slice(0, AUDIT_ID_LIMIT),
        missingIds: result.missing.slice(0, AUDIT_ID_LIMIT),
        skipReasons: result.skipped
          .slice(0, AUDIT_ID_LIMIT)
          .map((s) => `${s.containerName ?? s.workspaceId}: ${s.reason}`),
        errorMessages: result.errors
          .slice(0, AUDIT_ID_LIMIT)
          .map((e) => `${e.containerName ?? e.workspaceId}: ${e.message}`),
      },
    });
  });
  return result;
}

/** Container state → workspace status for a row nobody paused or hibernated (see status-rules). */
export function statusFromContainer(state: ContainerStatus, unhealthy = false): WorkspaceStatus {
  return statusForContainer(state, unhealthy, null);
}
