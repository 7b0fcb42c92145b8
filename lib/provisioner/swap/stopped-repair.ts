import "server-only";

import { type Env, healthGateConfig, repairConfig } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { lockIsHeld, lockStaleMs, releaseWorkspaceLock, staleLockCutoff } from "@/lib/db/workspace-state";
import { errorMessage } from "@/lib/domain/errors";
import { Prisma, type WorkspaceStatus } from "@/lib/generated/prisma/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";

import { passHealthGate } from "./health-gate";
import { type RepairOutcome, takeForRepair } from "./swap-repair";

/** Statuses that mean "this workspace should be running": nobody paused, hibernated or removed it. */
const SHOULD_RUN: WorkspaceStatus[] = ["online", "degraded", "offline", "down", "unknown"];

/**
 * Self-repair of workspaces whose container stopped although nobody meant it to: a dockerd
 * killed mid-run brings back only the containers that were running and not stopped through
 * the API, so a container Fleetpin stopped, or one the engine lost track of, stays `Exited`
 * while the platform still counts on it. Each such container (one listing per engine, then only
 * the stopped ones) is started once per pass and must pass a short health gate. Workspaces an
 * operator stopped (paused, hibernated) or removed, and ones a live run holds, are left alone.
 * FLEETPIN_REPAIR_START_STOPPED=0 turns this off.
 */
export async function restartStoppedWorkspaces(deps: {
  db: Db;
  docker: DockerClient;
  env?: Env;
}): Promise<RepairOutcome[]> {
  const { env } = deps;
  if (!repairConfig(env).startStopped) return [];
  const stopped = (await deps.docker.listManagedContainers()).filter(
    (c) => c.status === "exited" || c.status === "created",
  );
  if (stopped.length === 0) return [];
  const rows = await deps.db.workspace.findMany({
    where: {
      containerId: { in: stopped.map((c) => c.id) },
      status: { in: SHOULD_RUN },
      swapState: { equals: Prisma.DbNull },
    },
    select: { id: true, containerId: true, lockedBy: true, lockedAt: true },
  });
  const staleMs = lockStaleMs(env);
  const gate = healthGateConfig(env);
  const outcomes: RepairOutcome[] = [];
  for (const row of rows) {
    if (lockIsHeld(row, staleLockCutoff(new Date(), staleMs))) continue;
    const taken = await takeForRepair(deps.db, row.id, staleMs);
    if ("busy" in taken) continue;
    const { token } = taken;
    try {
      await deps.docker.startContainer(row.containerId!);
      await passHealthGate(deps.docker, row.containerId!, { ...gate, settleSeconds: Math.min(gate.settleSeconds, 2) });
      await deps.db.$transaction(async (tx) => {
        await tx.workspace.update({
          where: { id: row.id },
          data: { status: "online", lastError: null, lockedBy: null, lockedAt: null },
        });
        await recordAudit(tx, {
          actor: "system:repair",
          action: "workspace.restarted",
          targetType: "workspace",
          targetId: row.id,
          after: { containerId: row.containerId, why: "its container had stopped although the workspace should run" },
        });
      });
      outcomes.push({ workspaceId: row.id, result: "restored", detail: "its stopped container was started again" });
    } catch (error) {
      const detail = `its stopped container could not be started again: ${errorMessage(error)}`;
      await deps.db.workspace
        .updateMany({ where: { id: row.id, lockedBy: token }, data: { status: "down", lastError: detail } })
        .catch(() => undefined);
      await releaseWorkspaceLock(deps.db, row.id, token).catch(() => undefined);
      outcomes.push({ workspaceId: row.id, result: "failed", detail });
    }
  }
  return outcomes;
}
