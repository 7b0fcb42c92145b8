import "server-only";

import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { lockFreeWhere, lockIsHeld, staleLockCutoff } from "@/lib/db/workspace-state";
import { errorMessage } from "@/lib/errors";
import type { Prisma, Workspace, WorkspaceStatus } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/is-uuid";
import { mapLimit } from "@/lib/map-limit";
import { runtimeTagFromImage } from "./docker-errors";
import type { ContainerStatus, DockerClient, DockerContainer } from "./docker-types";
import { containerName as workspaceContainerName, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "./naming";
import { isKnownRuntime } from "./registry";
import { runningImageDigest } from "./running-digest";

/** What syncFromDocker needs; `staleLockMs` as for reprovisioning (default 30 min). */
export interface SyncDeps {
  db: Db;
  docker: DockerClient;
  actor: string;
  staleLockMs?: number;
}

/** A container or row that sync left alone on purpose, and why. */
export interface SyncSkip {
  workspaceId: string | null;
  containerId: string | null;
  containerName: string | null;
  reason: string;
}

/** A container or row sync could not handle; the others were still handled. */
export interface SyncError {
  workspaceId: string | null;
  containerId: string | null;
  containerName: string | null;
  message: string;
}

/** Workspace IDs per outcome, plus what was skipped or failed. */
export interface SyncResult {
  adopted: string[];
  updated: string[];
  missing: string[];
  skipped: SyncSkip[];
  errors: SyncError[];
}

/** Written to last_error of a row whose container is gone. */
export const MISSING_CONTAINER_ERROR = "container not found during sync";

const INSPECT_CONCURRENCY = 8;
const AUDIT_ID_LIMIT = 100;

type Observation = { container: DockerContainer; workspaceId: string | null; template: string | null; digest: string | null };

/**
 * Brings `workspaces` in line with the managed containers Docker has: adopts labelled
 * containers that have no row, refreshes container/status/image/digest of rows that have one,
 * and marks rows whose container is gone (`offline`, container_id NULL). Rows that are removed
 * or locked by a running reprovision, and rows that changed while sync was looking, are left
 * alone. One bad container never stops the others. Writes one `workspace.sync` audit row.
 */
export async function syncFromDocker(deps: SyncDeps): Promise<SyncResult> {
  const { db, docker } = deps;
  const startedAt = new Date();
  const result: SyncResult = { adopted: [], updated: [], missing: [], skipped: [], errors: [] };

  // 1. Look at Docker (no transaction open while waiting on the daemon).
  const summaries = await docker.listManagedContainers();
  const images = new Map<string, Promise<readonly string[]>>();
  const observed = (
    await mapLimit(summaries, INSPECT_CONCURRENCY, async (summary): Promise<Observation | null> => {
      try {
        const container = await docker.inspectContainer(summary.id);
        if (!container) return null; // removed since it was listed
        const label = container.labels[LABEL_WORKSPACE_ID] ?? null;
        if (label !== null && !isUuid(label)) throw new Error(`label ${LABEL_WORKSPACE_ID}="${label}" is not a UUID`);
        return { container, workspaceId: label?.toLowerCase() ?? null, template: container.labels[LABEL_TEMPLATE] ?? null, digest: await runningImageDigest(docker, container, images) };
      } catch (error) {
        result.errors.push({ workspaceId: summary.labels[LABEL_WORKSPACE_ID] ?? null, containerId: summary.id, containerName: summary.name, message: errorMessage(error) });
        return null;
      }
    })
  ).filter((observation): observation is Observation => observation !== null);
  const listedIds = new Set(summaries.map((summary) => summary.id));

  // Rows pointing at a container that is not in the managed list: gone, or merely unlabelled?
  const rowsBefore = await db.workspace.findMany({ where: { status: { not: "removed" }, containerId: { not: null } } });
  const goneContainers = new Set<string>();
  await mapLimit(rowsBefore.filter((row) => !listedIds.has(row.containerId!)), INSPECT_CONCURRENCY, async (row) => {
    try {
      if ((await docker.inspectContainer(row.containerId!)) === null) goneContainers.add(row.containerId!);
      else result.skipped.push({ workspaceId: row.id, containerId: row.containerId, containerName: row.containerName, reason: "its container exists but is not labelled as managed" });
    } catch (error) {
      result.errors.push({ workspaceId: row.id, containerId: row.containerId, containerName: row.containerName, message: errorMessage(error) });
    }
  });

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

    for (const [workspaceId, group] of groupObservations(observed, rows)) {
      const [current, ...others] = group;
      for (const other of others) skip(other, workspaceId, "another container of this workspace is the current one");
      if (!current) continue;
      const row = rows.find((candidate) => candidate.id === workspaceId);
      // No try/catch per row here: in PostgreSQL a failed statement aborts the whole
      // transaction anyway. Per-container trouble (Docker) was collected in step 1.
      if (!row) {
        const runtime = runtimeOf(current);
        if (!runtime) {
          skip(current, workspaceId, `no ${LABEL_TEMPLATE} label and no known runtime in image ${current.container.image}`);
          continue;
        }
        const { count } = await tx.workspace.createMany({
          data: [{ id: workspaceId, name: current.container.name, runtime, ...containerFields(current) }],
          skipDuplicates: true,
        });
        if (count === 1) result.adopted.push(workspaceId);
        else skip(current, workspaceId, "the workspace was created while sync was running");
      } else if (row.status === "removed") skip(current, row.id, "the workspace was removed");
      else if (lockIsHeld(row, staleBefore)) skip(current, row.id, "a reprovision of this workspace is running");
      else if (changedSince(row)) skip(current, row.id, "the workspace changed while sync was running");
      else {
        const data = rowChanges(row, current);
        if (Object.keys(data).length === 0) continue;
        const { count } = await tx.workspace.updateMany({ where: unlockedWhere(row), data });
        if (count === 1) result.updated.push(row.id);
        else skip(current, row.id, "the workspace changed while sync was running");
      }
    }

    for (const row of rows) {
      if (!row.containerId || !goneContainers.has(row.containerId) || row.status === "removed") continue;
      if (lockIsHeld(row, staleBefore) || changedSince(row)) {
        result.skipped.push({ workspaceId: row.id, containerId: row.containerId, containerName: row.containerName, reason: "its container is gone, but a reprovision is running or the row just changed" });
        continue;
      }
      const { count } = await tx.workspace.updateMany({
        where: { ...unlockedWhere(row), containerId: row.containerId },
        data: { status: "offline", containerId: null, lastError: MISSING_CONTAINER_ERROR },
      });
      if (count === 1) result.missing.push(row.id);
    }

    await recordAudit(tx, {
      actor: deps.actor,
      action: "workspace.sync",
      targetType: "workspace",
      targetId: "*",
      after: {
        containers: summaries.length,
        adopted: result.adopted.length,
        updated: result.updated.length,
        missing: result.missing.length,
        skipped: result.skipped.length,
        errors: result.errors.length,
        adoptedIds: result.adopted.slice(0, AUDIT_ID_LIMIT),
        missingIds: result.missing.slice(0, AUDIT_ID_LIMIT),
        errorMessages: result.errors.slice(0, AUDIT_ID_LIMIT).map((e) => `${e.containerName ?? e.workspaceId}: ${e.message}`),
      },
    });
  });
  return result;
}

/**
 * Observations per workspace ID, the current container first: the one the row points at, else
 * the one named `ws-<id12>`, else a running one. Unlabelled containers (seed-created) are
 * matched to a row by container ID or name; without a row they cannot be adopted.
 */
function groupObservations(observed: Observation[], rows: Workspace[]): Map<string, Observation[]> {
  const groups = new Map<string, Observation[]>();
  for (const o of observed) {
    const id =
      o.workspaceId ?? rows.find((row) => row.containerId === o.container.id || row.containerName === o.container.name)?.id ?? null;
    if (!id) continue;
    groups.set(id, [...(groups.get(id) ?? []), o]);
  }
  for (const [id, group] of groups) {
    const rowContainer = rows.find((row) => row.id === id)?.containerId;
    const rank = (o: Observation) =>
      o.container.id === rowContainer ? 0 : o.container.name === workspaceContainerName(id) ? 1 : o.container.running ? 2 : 3;
    group.sort((a, b) => rank(a) - rank(b));
  }
  return groups;
}

function containerFields(o: Observation) {
  return {
    status: statusFromContainer(o.container.status),
    containerId: o.container.id,
    containerName: o.container.name,
    runtimeImage: o.container.image,
    runtimeImageDigest: o.digest,
  };
}

// Only what differs, so an unchanged fleet writes nothing but the audit row.
function rowChanges(row: Workspace, o: Observation): Prisma.WorkspaceUpdateManyMutationInput {
  const wanted = containerFields(o);
  // An operator's pause/hibernation explains a stopped container; do not relabel it offline.
  if (!o.container.running && ["paused", "hibernated", "hibernating"].includes(row.status)) wanted.status = row.status;
  // Same container, digest unreadable now: keep what was recorded when it was readable.
  if (wanted.runtimeImageDigest === null && row.containerId === o.container.id) wanted.runtimeImageDigest = row.runtimeImageDigest;
  const data: Prisma.WorkspaceUpdateManyMutationInput = {};
  if (row.status !== wanted.status) data.status = wanted.status;
  if (row.containerId !== wanted.containerId) data.containerId = wanted.containerId;
  if (row.containerName !== wanted.containerName) data.containerName = wanted.containerName;
  if (row.runtimeImage !== wanted.runtimeImage) data.runtimeImage = wanted.runtimeImage;
  if (row.runtimeImageDigest !== wanted.runtimeImageDigest) data.runtimeImageDigest = wanted.runtimeImageDigest;
  if (row.lastError === MISSING_CONTAINER_ERROR) data.lastError = null;
  return data;
}

/** Container state → workspace status (the seed's meanings, §1.5). */
export function statusFromContainer(state: ContainerStatus): WorkspaceStatus {
  switch (state) {
    case "running":
      return "online";
    case "paused":
      return "paused";
    case "restarting":
      return "degraded";
    case "dead":
      return "failed";
    default:
      return "offline"; // created, exited, removing
  }
}

function runtimeOf(o: Observation): string | null {
  if (o.template) return o.template;
  const fromImage = runtimeTagFromImage(o.container.image).split("@")[0] ?? "";
  return isKnownRuntime(fromImage) ? fromImage : null;
}
