import "server-only";

import { randomUUID } from "node:crypto";

import { type Env, healthGateConfig, reprovisionConfig } from "@/lib/config";
import { recordProvisionFailure } from "@/lib/db/provision-result";
import { type SwapRecord, writeSwapRecord } from "@/lib/db/swap-journal";
import {
  acquireWorkspaceLock,
  type LockedWorkspace,
  lockStaleMs,
  releaseWorkspaceLockAs,
  startLockHeartbeat,
} from "@/lib/db/workspace-state";
import { describeWorkspaceState, errorMessage, ReprovisionFailedError, type WorkspaceState } from "@/lib/domain/errors";
import { Prisma, type WorkspaceStatus } from "@/lib/generated/prisma/client";
import { getLogger } from "@/lib/log/logger";
import { observeReprovision } from "@/lib/metrics/process-metrics";
import type { ContainerCreateRequest } from "@/lib/provisioner/containers/inspect-types";
import { runningImageDigest } from "@/lib/provisioner/docker/running-digest";
import type { DockerContainer } from "@/lib/provisioner/docker/types";
import { findContainerToReplace, replaceContainer } from "@/lib/provisioner/swap/container-swap";

import { commitSwap } from "./commit-swap";
import { createImageResolver, type ResolvedImage } from "./image-resolver";
import { containerRequest, stageWords, untouchedState, operationRef } from "./reprovision-steps";
import type { Kind, ReprovisionDeps, ReprovisionPhase, ReprovisionProgress, ReprovisionResult } from "./types";

export type { ReprovisionDeps, ReprovisionPhase, ReprovisionProgress, ReprovisionResult } from "./types";

/**
 * Recreates a workspace's container on the image its template resolves to now (pin, else the
 * current `:latest` digest), keeping its data volume. The new image is pulled BEFORE the old
 * container is touched, so a failed pull leaves the workspace running as it was; a failed
 * create/start puts the old container back. Throws ConflictError while another run holds the
 * workspace; every other failure is recorded on the row and in the audit log, then rethrown.
 */
export async function reprovisionWorkspace(workspaceId: string, deps: ReprovisionDeps): Promise<ReprovisionResult> {
  return runLocked(await lockWorkspace(workspaceId, deps, lockToken(deps.operationItemId)), deps, "reprovision");
}

export async function runLocked(
  locked: LockedWorkspace,
  deps: ReprovisionDeps,
  kind: Kind,
): Promise<ReprovisionResult> {
  const stopHeartbeat = startLockHeartbeat(deps.db, locked.id, locked.lockToken);
  const started = performance.now();
  let outcome: "succeeded" | "failed" = "failed";
  try {
    const result = await runSwap(locked, deps, kind);
    outcome = "succeeded";
    return result;
  } finally {
    stopHeartbeat();
    observeReprovision(kind, outcome, (performance.now() - started) / 1000);
  }
}

async function runSwap(locked: LockedWorkspace, deps: ReprovisionDeps, kind: Kind): Promise<ReprovisionResult> {
  const { db, docker } = deps;
  const { env } = deps;
  const resolver = deps.resolver ?? createImageResolver({ db, docker, ...(env ? { env } : {}) });
  const progress = (phase: ReprovisionPhase, extra: Partial<ReprovisionProgress> = {}) => {
    try {
      deps.onProgress?.({ workspaceId: locked.id, phase, ...extra });
    } catch (error) {
      getLogger({ source: "reprovision", workspaceId: locked.id }).warn(
        { event: "progress_listener_threw", error: errorMessage(error) },
        "progress listener threw",
      );
    }
  };
  const before = { image: locked.runtimeImage, digest: locked.runtimeImageDigest, containerId: locked.containerId };
  let resolved: ResolvedImage | undefined;
  let fromDigest = locked.runtimeImageDigest;

  const fail = async (
    error: unknown,
    stage: string,
    status: WorkspaceStatus,
    extra: Record<string, unknown> & { clearSwap?: boolean } = {},
  ) => {
    // The row says where the workspace stands too; operation items keep the two apart (bulk.ts).
    const message =
      error instanceof ReprovisionFailedError
        ? `${error.message} — ${describeWorkspaceState(error.workspaceState)}`
        : errorMessage(error);
    const { clearSwap, ...details } = extra;
    try {
      await recordProvisionFailure(db, {
        workspaceId: locked.id,
        lockToken: locked.lockToken,
        status,
        lastError: message,
        ...(clearSwap !== undefined ? { clearSwap } : {}),
        audit: {
          actor: deps.actor,
          action: `workspace.${kind}_failed`,
          targetType: "workspace",
          targetId: locked.id,
          templateName: locked.runtime,
          reason: deps.reason ?? null,
          before: { ...before, digest: fromDigest },
          after: {
            image: resolved?.ref ?? null,
            digest: resolved?.digest ?? null,
            stage,
            error: message,
            status,
            ...operationRef(deps),
            ...details,
          },
        },
      });
    } catch (recordError) {
      // The original failure is what the caller must see; this one is logged with full context.
      getLogger({ source: "reprovision", workspaceId: locked.id }).error(
        { event: "failure_not_recorded", error: message, recordError: errorMessage(recordError) },
        "the failure could not be recorded",
      );
    }
  };

  // 1. Everything that can fail without touching the running container.
  let stage = "resolve";
  let old: DockerContainer | null = null;
  let request: ContainerCreateRequest;
  try {
    progress("locked");
    progress("resolving");
    resolved = await resolver.resolve(locked.runtime);
    stage = "pull";
    progress("pulling", { image: resolved.ref });
    await resolver.ensurePulled(resolved.ref, (pull) => progress("pulling", { image: resolved!.ref, pull }));
    stage = "prepare";
    old = await findContainerToReplace(docker, locked.id, locked.containerId);
    // One inspection of the old image serves both the digest it ran and the clone's image defaults.
    const oldImage = old ? await docker.inspectImage(old.imageId) : null;
    if (old && fromDigest === null)
      fromDigest = await runningImageDigest(
        docker,
        old,
        new Map([[old.imageId, Promise.resolve(oldImage?.repoDigests ?? [])]]),
      );
    request = await containerRequest(docker, locked, resolved.ref, old, oldImage, env);
  } catch (error) {
    const failure = new ReprovisionFailedError(
      `${stageWords(stage)} failed: ${errorMessage(error)}`,
      untouchedState(locked, old),
      { cause: error },
    );
    await fail(failure, stage, statusToRestore(locked.previousStatus, old));
    throw failure;
  }

  if (deps.beforeSwap) {
    try {
      await deps.beforeSwap();
    } catch (error) {
      // Nothing was touched: the workspace goes back to rest as it was, for whoever runs it next.
      await releaseWorkspaceLockAs(db, locked.id, locked.lockToken, statusToRestore(locked.previousStatus, old));
      throw error;
    }
  }

  // 2. The swap, journalled before each step: from here on a failure must give the workspace
  // its old container back, and a crash leaves the journal for the repair pass.
  const journalBase = {
    lockToken: locked.lockToken,
    targetImage: resolved.ref,
    oldContainerId: old?.id ?? null,
    name: request.name,
    oldWasRunning: old?.running ?? false,
    request: request as unknown as Prisma.InputJsonValue,
  };
  let lastJournal: Omit<SwapRecord, "updatedAt"> = {
    ...journalBase,
    step: "stopping",
    asideName: null,
    newContainerId: null,
  };
  const swap = await replaceContainer({
    docker,
    request,
    old,
    stopTimeoutSeconds: stopTimeout(deps, env),
    gate: deps.gate ?? healthGateConfig(env),
    onPhase: (phase) => progress(phase),
    journal: async (step) => {
      lastJournal = { ...journalBase, ...step };
      await writeSwapRecord(db, locked.id, lastJournal);
    },
  });
  if (!swap.ok) {
    const where: WorkspaceState = swap.restored
      ? journalBase.oldWasRunning
        ? "old_running"
        : old
          ? "old_stopped"
          : "no_container"
      : "down";
    const status = swap.restored ? statusToRestore(locked.previousStatus, old) : "down";
    const reason = swap.restored
      ? errorMessage(swap.error)
      : `${errorMessage(swap.error)}; putting the old container back failed: ${swap.rollbackErrors.join("; ")}`;
    // Restored: at rest, journal cleared. Not restored: the journal stays for the repair pass.
    const failure = new ReprovisionFailedError(`the new container did not come up: ${reason}`, where, {
      cause: swap.error,
    });
    await fail(failure, "replace", status, {
      restored: swap.restored,
      rollbackErrors: swap.rollbackErrors,
      clearSwap: swap.restored,
    });
    throw failure;
  }

  // 3. The new container runs: record what it really runs, then let the old one go.
  progress("recording");
  return commitSwap({ locked, deps, kind, container: swap.container, old, resolved, fromDigest, before, lastJournal });
}

// `provisioning` without a lock is the trace of a run that died; restoring it would claim a run
// is still going, so the container's real state is used instead.
function statusToRestore(previous: WorkspaceStatus, old: DockerContainer | null): WorkspaceStatus {
  if (previous !== "provisioning") return previous;
  if (!old) return "failed";
  return old.running ? "online" : "down";
}

export function lockWorkspace(workspaceId: string, deps: ReprovisionDeps, token: string): Promise<LockedWorkspace> {
  return acquireWorkspaceLock(deps.db, workspaceId, { token, staleAfterMs: deps.staleLockMs ?? lockStaleMs(deps.env) });
}

export function lockToken(operationItemId: string | bigint | undefined): string {
  return operationItemId !== undefined ? String(operationItemId) : `adhoc:${randomUUID()}`;
}

function stopTimeout(deps: ReprovisionDeps, env: Env | undefined): number {
  return deps.stopTimeoutSeconds ?? reprovisionConfig(env).stopTimeoutSeconds;
}
