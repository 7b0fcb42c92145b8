import "server-only";

import { recordProvisionSuccess } from "@/lib/db/provision-result";
import { clearSwapRecord, type SwapRecord } from "@/lib/db/swap-journal";
import { type LockedWorkspace, releaseWorkspaceLock } from "@/lib/db/workspace-state";
import { errorMessage } from "@/lib/domain/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getLogger } from "@/lib/log/logger";
import { runningImageDigest } from "@/lib/provisioner/docker/running-digest";
import type { DockerContainer } from "@/lib/provisioner/docker/types";

import type { ResolvedImage } from "./image-resolver";
import { publishedPorts, operationRef } from "./reprovision-steps";
import type { Kind, ReprovisionDeps, ReprovisionResult } from "./types";

/** What the swap left: the new container runs and passed its gate; the old one is stopped aside (or there was none). */
export type CommittedSwap = {
  locked: LockedWorkspace;
  deps: ReprovisionDeps;
  kind: Kind;
  container: DockerContainer;
  old: DockerContainer | null;
  resolved: ResolvedImage;
  fromDigest: string | null;
  before: { image: string | null; digest: string | null; containerId: string | null };
  lastJournal: Omit<SwapRecord, "updatedAt">;
};

/**
 * The end of a successful run: records what the new container really runs (row, audit, journal
 * at `committed`), then removes the old container and releases the lock. What fails after the
 * commit is a warning: the workspace is fine, and the repair pass removes a leftover.
 */
export async function commitSwap(swap: CommittedSwap): Promise<ReprovisionResult> {
  const { locked, deps, kind, container, old, resolved, fromDigest, before, lastJournal } = swap;
  const { db, docker } = deps;
  const warnings: string[] = [];
  let toDigest: string | null = resolved.digest;
  try {
    toDigest = (await runningImageDigest(docker, container)) ?? resolved.digest;
  } catch (error) {
    warnings.push(`could not read the running digest: ${errorMessage(error)}`);
  }
  await recordProvisionSuccess(db, {
    workspaceId: locked.id,
    lockToken: locked.lockToken,
    image: resolved.ref,
    digest: toDigest,
    containerId: container.id,
    containerName: container.name,
    // Committed: the old container is only left to remove; the repair pass finishes that if we die now.
    swapState: old
      ? ({
          ...lastJournal,
          step: "committed",
          newContainerId: container.id,
          updatedAt: new Date().toISOString(),
        } as unknown as Prisma.InputJsonValue)
      : null,
    // Held until the old container is gone, so the repair pass does not mistake this live run for a dead one.
    keepLock: old !== null,
    audit: {
      actor: deps.actor,
      action: `workspace.${kind}`,
      targetType: "workspace",
      targetId: locked.id,
      templateName: locked.runtime,
      reason: deps.reason ?? null,
      before: {
        ...before,
        digest: fromDigest,
        containerId: old?.id ?? before.containerId,
        ports: old ? publishedPorts(old) : undefined,
      },
      after: {
        image: resolved.ref,
        digest: toDigest,
        containerId: container.id,
        ports: publishedPorts(container),
        source: resolved.source,
        ...operationRef(deps),
      },
    },
  });
  if (old) {
    try {
      await docker.removeContainer(old.id, { force: true });
      await clearSwapRecord(db, locked.id);
    } catch (error) {
      // The workspace is fine; the leftover is named <name>-prev-… and the repair pass removes it.
      warnings.push(`old container ${old.id.slice(0, 12)} was not removed yet: ${errorMessage(error)}`);
    } finally {
      await releaseWorkspaceLock(db, locked.id, locked.lockToken).catch((error: unknown) => {
        warnings.push(`the lock was not released (it goes stale by itself): ${errorMessage(error)}`);
      });
    }
  }
  for (const warning of warnings)
    getLogger({ source: "reprovision", workspaceId: locked.id }).warn({ event: "clone_warning", warning }, warning);
  return {
    workspaceId: locked.id,
    image: resolved.ref,
    fromDigest,
    toDigest,
    containerId: container.id,
    containerName: container.name,
  };
}
