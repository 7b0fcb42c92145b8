import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { workspaceLock } from "@/lib/db/operations/queue-lifecycle";
import type { ItemResult } from "@/lib/db/operations/run-lifecycle";
import { lockIsHeld, lockStaleMs, staleLockCutoff } from "@/lib/db/workspace-state";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import type { ImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import { repairPendingSwaps } from "@/lib/provisioner/swap/swap-repair";

export type TakeOver = {
  db: Db;
  docker: DockerClient;
  env?: Env;
  resolver: ImageResolver;
  operationItemId: string;
  workspaceId: string;
  fromDigest: string | null;
  /** How often the lock is looked at while the previous attempt may still be alive (default 1 s). */
  pollMs?: number;
};

/**
 * An item whose previous attempt died mid-run. Its lock (token = the item id), or any other live
 * holder's (a repair pass of another process), is respected until it is released or goes stale
 * (FLEETPIN_LOCK_STALE_SECONDS): a job whose heartbeat lapsed may still be running, and this job
 * keeps the item's slot meanwhile, so the host's limit holds even then. Then the swap the
 * attempt left, if any, is settled by the repair pass (finished forward when the new container runs
 * and passes its gate). If that leaves the workspace on the target image, the item succeeded and
 * nothing is recreated again; otherwise `rerun` runs it again from the start.
 */
export async function takeOverItem<R = ItemResult>(args: TakeOver, rerun: () => Promise<R>): Promise<R | ItemResult> {
  const staleMs = lockStaleMs(args.env);
  for (;;) {
    const row = await workspaceLock(args.db, args.workspaceId);
    if (!row) return rerun(); // gone: the run says so as it would for any removed workspace
    // Any live holder is waited out: the dead attempt until its lock goes stale, a repair pass until it is done.
    if (!lockIsHeld(row, staleLockCutoff(new Date(), staleMs))) break;
    await sleep(args.pollMs ?? 1000);
  }
  await repairPendingSwaps({
    db: args.db,
    docker: args.docker,
    env: args.env,
    staleLockMs: staleMs,
    workspaceId: args.workspaceId,
  });
  const row = await workspaceLock(args.db, args.workspaceId);
  if (
    row &&
    row.swapState === null &&
    row.lockedBy === null &&
    row.status === "online" &&
    row.runtimeImage &&
    row.runtimeImageDigest
  ) {
    const target = await args.resolver.resolve(row.runtime).catch(() => null);
    if (target?.digest && target.digest === row.runtimeImageDigest) {
      return {
        status: "succeeded",
        fromDigest: args.fromDigest,
        toDigest: row.runtimeImageDigest,
        image: row.runtimeImage,
      };
    }
  }
  return rerun();
}
