import "server-only";

import { type Env, reprovisionConfig } from "@/lib/config";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { Prisma, type WorkspaceStatus } from "@/lib/generated/prisma/client";
import { getLogger } from "@/lib/log/logger";

import type { Db } from "./client";

/**
 * The workspace row's side of (re)provisioning: the lock, and the writes that end a run.
 * Every function takes the Prisma client or a transaction client; the ones that write several
 * rows open a transaction only when they were given the client.
 */

/** The Prisma client or the client of a transaction already open. */
export type DbOrTx = Db | Prisma.TransactionClient;

/**
 * A lock whose heartbeat is older than this belongs to a process that died mid-run. A live run
 * refreshes `locked_at` every LOCK_HEARTBEAT_MS (startLockHeartbeat) and at every swap step,
 * however long its pull, stop or health gate takes, so only a dead holder goes quiet this long.
 */
export const STALE_LOCK_MS = 2 * 60 * 1000;
export const LOCK_HEARTBEAT_MS = 15 * 1000;

/** FLEETPIN_LOCK_STALE_SECONDS (lib/config; default STALE_LOCK_MS): how long a silent lock holder is trusted. */
export function lockStaleMs(env?: Env): number {
  return reprovisionConfig(env).lockStaleMs;
}

/** Refreshes the lock's `locked_at` while `token` holds it, until the returned stop is called. */
export function startLockHeartbeat(
  db: DbOrTx,
  workspaceId: string,
  token: string,
  everyMs: number = LOCK_HEARTBEAT_MS,
): () => void {
  const timer = setInterval(() => {
    db.workspace
      .updateMany({ where: { id: workspaceId, lockedBy: token }, data: { lockedAt: new Date() } })
      .catch((error: unknown) => {
        // A missed beat is harmless unless the database stays away for STALE_LOCK_MS, and then nobody can take the lock either.
        getLogger({ source: "workspaceLock", workspaceId }).warn(
          { event: "heartbeat_failed", error: String(error) },
          "lock heartbeat failed",
        );
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Locks taken before the returned time count as stale (left by a run that died). */
export function staleLockCutoff(now: Date, staleAfterMs: number = STALE_LOCK_MS): Date {
  return new Date(now.getTime() - staleAfterMs);
}

/** True while a live run holds the row's lock (taken at or after `staleBefore`). */
export function lockIsHeld<R extends { lockedBy: string | null; lockedAt: Date | null }>(
  row: R,
  staleBefore: Date,
): row is R & { lockedAt: Date } {
  return row.lockedBy !== null && row.lockedAt !== null && row.lockedAt >= staleBefore;
}

/** The same condition for a query: rows no live run holds. */
export function lockFreeWhere(staleBefore: Date): Prisma.WorkspaceWhereInput {
  return { OR: [{ lockedBy: null }, { lockedAt: null }, { lockedAt: { lt: staleBefore } }] };
}

/** The row as it was just before the lock was taken, plus the token that holds the lock. */
export interface LockedWorkspace {
  id: string;
  name: string;
  runtime: string;
  previousStatus: WorkspaceStatus;
  containerId: string | null;
  containerName: string | null;
  runtimeImage: string | null;
  runtimeImageDigest: string | null;
  lockToken: string;
}

const MAX_LOCK_ATTEMPTS = 3;

/**
 * Takes the reprovision lock with one conditional UPDATE (free, or held for longer than
 * `staleAfterMs`) and sets status `provisioning`. Throws NotFoundError for an unknown id and
 * ConflictError when the workspace is removed or another run holds the lock.
 */
export async function acquireWorkspaceLock(
  db: DbOrTx,
  workspaceId: string,
  options: { token: string; staleAfterMs?: number; now?: Date },
): Promise<LockedWorkspace> {
  const now = options.now ?? new Date();
  const staleBefore = staleLockCutoff(now, options.staleAfterMs);
  for (let attempt = 0; attempt < MAX_LOCK_ATTEMPTS; attempt++) {
    const row = await db.workspace.findUnique({ where: { id: workspaceId } });
    if (!row) throw new NotFoundError(`workspace ${workspaceId} not found`);
    if (row.status === "removed")
      throw new ConflictError(`workspace ${row.name} was removed; it cannot be provisioned`);
    if (lockIsHeld(row, staleBefore)) throw lockConflict(row.name, row.lockedAt);

    // The row must still be what was just read, so `previous*` is exactly what the lock replaced.
    const { count } = await db.workspace.updateMany({
      where: {
        id: workspaceId,
        status: row.status,
        containerId: row.containerId,
        runtimeImageDigest: row.runtimeImageDigest,
        ...lockFreeWhere(staleBefore),
      },
      data: { lockedBy: options.token, lockedAt: now, status: "provisioning" },
    });
    if (count === 1) {
      if (row.lockedBy !== null) {
        getLogger({ source: "workspaceLock", workspaceId }).warn(
          { event: "stale_lock_taken_over", previousHolder: row.lockedBy, lockedAt: row.lockedAt },
          "took over a stale lock",
        );
      }
      return {
        id: row.id,
        name: row.name,
        runtime: row.runtime,
        previousStatus: row.status,
        containerId: row.containerId,
        containerName: row.containerName,
        runtimeImage: row.runtimeImage,
        runtimeImageDigest: row.runtimeImageDigest,
        lockToken: options.token,
      };
    }
    // Lost a race: loop to read again, which reports the lock holder if there is one now.
  }
  throw new ConflictError(`workspace ${workspaceId} kept changing while its lock was being taken; try again`);
}

/** Releases the lock if `token` still holds it; false when it did not (e.g. taken over as stale). */
export async function releaseWorkspaceLock(db: DbOrTx, workspaceId: string, token: string): Promise<boolean> {
  const { count } = await db.workspace.updateMany({
    where: { id: workspaceId, lockedBy: token },
    data: { lockedBy: null, lockedAt: null },
  });
  return count === 1;
}

/** Releases the lock `token` holds and sets the status the run found (a run that ended before touching anything). */
export async function releaseWorkspaceLockAs(
  db: DbOrTx,
  workspaceId: string,
  token: string,
  status: WorkspaceStatus,
): Promise<boolean> {
  const { count } = await db.workspace.updateMany({
    where: { id: workspaceId, lockedBy: token },
    data: { lockedBy: null, lockedAt: null, status },
  });
  return count === 1;
}

/** Sets the status (and optionally last_error) without touching the lock. */
export async function markWorkspaceStatus(
  db: DbOrTx,
  workspaceId: string,
  status: WorkspaceStatus,
  lastError?: string | null,
): Promise<void> {
  await db.workspace.update({
    where: { id: workspaceId },
    data: { status, ...(lastError !== undefined ? { lastError } : {}) },
  });
}

/** Runs `work` in a new transaction, or directly in the one `db` already is. */
export async function inTransaction<T>(db: DbOrTx, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  // A transaction client has a `$transaction` too (nested), but no `$connect`: that tells them apart.
  return isClient(db) ? db.$transaction(work) : work(db);
}

function isClient(db: DbOrTx): db is Db {
  return typeof (db as Partial<Db>).$connect === "function";
}

function lockConflict(name: string, lockedAt: Date): ConflictError {
  const minutes = Math.max(0, Math.round((Date.now() - lockedAt.getTime()) / 60_000));
  return new ConflictError(`a reprovision of ${name} is already running (started ${minutes} min ago)`);
}
