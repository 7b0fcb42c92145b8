import "server-only";

import { randomUUID } from "node:crypto";

import { type Env, healthGateConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { listPendingSwaps, readSwapRecord, recordSwapRepair, type SwapRecord } from "@/lib/db/swap-journal";
import {
  acquireWorkspaceLock,
  lockIsHeld,
  lockStaleMs,
  releaseWorkspaceLock,
  staleLockCutoff,
} from "@/lib/db/workspace-state";
import { ConflictError, DockerUnavailableError, errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import type { ContainerCreateRequest } from "@/lib/provisioner/containers/inspect-types";
import { runningImageDigest } from "@/lib/provisioner/docker/running-digest";
import type { DockerClient, DockerContainer } from "@/lib/provisioner/docker/types";

import { passHealthGate } from "./health-gate";

/** What the repair pass needs. */
export interface RepairDeps {
  db: Db;
  docker: DockerClient;
  env?: Env;
  /** How long a silent lock holder is trusted (default FLEETPIN_LOCK_STALE_SECONDS or 2 min). */
  staleLockMs?: number;
  /** The registered host `docker` is: only its workspaces' swaps are repaired (unset: all, one engine). */
  host?: string;
  /** Only this workspace (a queued item taking over from a dead attempt); default every pending swap. */
  workspaceId?: string;
}

/** What the pass did for one workspace. */
export interface RepairOutcome {
  workspaceId: string;
  /**
   * `finished`: on the new container; `restored`: on the old one; `recreated`: from the journal's request; `skipped`:
   * a live run holds it; `failed`: still pending.
   */
  result: "finished" | "restored" | "recreated" | "skipped" | "failed";
  detail: string;
}

const REPAIR_ACTOR = "system:repair";

/**
 * Finishes or undoes every container swap that is not at rest and whose run is dead (its lock
 * heartbeat went quiet, or start-up released it): the new container running and past its gate
 * → finish (one created and never started, the run having died between create and start, is
 * started first: no second create); otherwise the old container back under its name and running (started even if it
 * had been stopped on purpose by the swap); neither left → a container created again from the
 * journal's request. Idempotent, and safe to run twice at once: each workspace is taken with
 * the same conditional lock a reprovision takes, so only one pass acts on it.
 */
export async function repairPendingSwaps(deps: RepairDeps): Promise<RepairOutcome[]> {
  const staleMs = deps.staleLockMs ?? lockStaleMs(deps.env);
  const outcomes: RepairOutcome[] = [];
  for (const row of await listPendingSwaps(deps.db, deps.host)) {
    if (deps.workspaceId !== undefined && row.id !== deps.workspaceId) continue;
    const record = readSwapRecord(row.swapState);
    if (!record) continue;
    if (lockIsHeld(row, staleLockCutoff(new Date(), staleMs))) {
      outcomes.push({ workspaceId: row.id, result: "skipped", detail: "a run holding its lock is still alive" });
      continue;
    }
    outcomes.push(await repairOne(deps, row.id, record, staleMs));
  }
  return outcomes;
}

/**
 * Takes a workspace for a repair with the same conditional lock a reprovision takes, so only one
 * pass (of any process) acts on it: the lock token, or why someone else has it.
 */
export async function takeForRepair(
  db: Db,
  workspaceId: string,
  staleMs: number,
): Promise<{ token: string } | { busy: string }> {
  const token = `repair:${randomUUID()}`;
  try {
    await acquireWorkspaceLock(db, workspaceId, { token, staleAfterMs: staleMs });
    return { token };
  } catch (error) {
    if (error instanceof ConflictError) return { busy: errorMessage(error) };
    throw error;
  }
}

async function repairOne(
  deps: RepairDeps,
  workspaceId: string,
  record: SwapRecord,
  staleMs: number,
): Promise<RepairOutcome> {
  const taken = await takeForRepair(deps.db, workspaceId, staleMs);
  if ("busy" in taken) return { workspaceId, result: "skipped", detail: taken.busy };
  const { token } = taken;
  try {
    const settled = await settle(deps, record);
    const digest = await runningImageDigest(deps.docker, settled.container).catch(() => null);
    await recordSwapRepair(deps.db, {
      workspaceId,
      lockToken: token,
      container: { id: settled.container.id, name: settled.container.name, image: settled.container.image, digest },
      detail: settled.detail,
      record,
      actor: REPAIR_ACTOR,
    });
    return { workspaceId, result: settled.result, detail: settled.detail };
  } catch (error) {
    const unreachable = error instanceof DockerUnavailableError;
    const detail = `repair pending: ${errorMessage(error)}`;
    // The journal stays: the next pass tries again.
    await deps.db.workspace
      .updateMany({
        where: { id: workspaceId, lockedBy: token },
        data: { status: unreachable ? "unknown" : "down", lastError: detail },
      })
      .catch(() => undefined);
    await releaseWorkspaceLock(deps.db, workspaceId, token).catch(() => undefined);
    return { workspaceId, result: "failed", detail };
  }
}

type Settled = { container: DockerContainer; result: "finished" | "restored" | "recreated"; detail: string };

async function settle(deps: RepairDeps, record: SwapRecord): Promise<Settled> {
  const { docker } = deps;
  const gate = healthGateConfig(deps.env);
  const old = record.oldContainerId ? await docker.inspectContainer(record.oldContainerId) : null;
  let fresh = record.newContainerId ? await docker.inspectContainer(record.newContainerId) : null;
  if (!fresh) {
    // Died between create and the journal entry that would have named it: it holds the name.
    const byName = await docker.inspectContainer(record.name);
    if (byName && byName.id !== old?.id) fresh = byName;
  }

  if (fresh && record.step === "committed") {
    if (!fresh.running) await docker.startContainer(fresh.id);
    if (old && old.id !== fresh.id) await docker.removeContainer(old.id, { force: true });
    return {
      container: (await docker.inspectContainer(fresh.id)) ?? fresh,
      result: "finished",
      detail: "finished: the old container was removed",
    };
  }
  if (fresh && neverStarted(fresh, record)) {
    // Died between the new container's create and its start: it was made from the journal's request
    // and never ran, so it is started now rather than removed and created again (a taken-over item
    // then finds its workspace on the target and creates nothing).
    // A start that fails falls through to the rollback below (old container back), never to a loop.
    try {
      await docker.startContainer(fresh.id);
    } catch (error) {
      getLogger({ source: "swapRepair" }).warn(
        { event: "start_failed_on_repair", containerId: fresh.id, error: errorMessage(error) },
        "the created container of a cut-short swap did not start",
      );
    }
    fresh = (await docker.inspectContainer(fresh.id)) ?? fresh;
  }
  if (
    fresh &&
    fresh.running &&
    (record.step === "gating" || record.step === "starting" || record.step === "creating")
  ) {
    try {
      const passed = await passHealthGate(docker, fresh.id, gate);
      if (old && old.id !== fresh.id) await docker.removeContainer(old.id, { force: true });
      return { container: passed, result: "finished", detail: "finished: the new container passed its health gate" };
    } catch (error) {
      getLogger({ source: "swapRepair" }).warn(
        { event: "gate_failed_on_repair", containerId: fresh.id, error: errorMessage(error) },
        "the repaired container did not pass the health gate",
      );
    }
  }
  if (fresh && fresh.id !== old?.id) await docker.removeContainer(fresh.id, { force: true });
  if (old) {
    if (old.name !== record.name) await docker.renameContainer(old.id, record.name);
    await docker.startContainer(old.id);
    const back = await passHealthGate(docker, old.id, { ...gate, settleSeconds: Math.min(gate.settleSeconds, 2) });
    return { container: back, result: "restored", detail: "running its old container again" };
  }
  // Neither container is left: create one again from the journal, on the image it was going to.
  const created = await docker.createContainer(record.request as unknown as ContainerCreateRequest);
  await docker.startContainer(created.id);
  const passed = await passHealthGate(docker, created.id, gate);
  return {
    container: passed,
    result: "recreated",
    detail: "recreated from the journal's configuration on the new image",
  };
}

/** A new container the swap created from its request and never got to start (step `creating` or `starting`). */
function neverStarted(container: DockerContainer, record: SwapRecord): boolean {
  const requested = (record.request as unknown as Partial<ContainerCreateRequest> | null)?.body?.Image;
  return (
    (record.step === "creating" || record.step === "starting") &&
    container.status === "created" &&
    container.startedAt === null &&
    container.image === requested
  );
}
