import "server-only";

import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export type DataDirLock = { release: () => Promise<void> };

type GlobalWithLocks = typeof globalThis & { __fleetpinDataDirLocks?: Set<string> };

/**
 * PGlite is single-process: two processes opening one data folder corrupt it.
 * A pid file beside the folder turns that into a clear error (for example
 * `npm run user:create` while the dashboard runs on the embedded database).
 * A second open inside this process is refused too: two PGlite instances on
 * one folder corrupt it just the same.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  const held = locksHeldHere();
  if (held.has(lockPath)) {
    throw new Error(
      `the embedded database ${dataDir} is in use by process ${process.pid} (this process: it is already open here). Close it before opening it again.`,
    );
  }
  // Claimed before the first await, so two opens racing in this process cannot both win.
  held.add(lockPath);
  try {
    await createLockFile(dataDir, lockPath);
  } catch (error) {
    held.delete(lockPath);
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await rm(lockPath, { force: true });
      } finally {
        held.delete(lockPath);
      }
    },
  };
}

async function createLockFile(dataDir: string, lockPath: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${holder}. Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.`,
          { cause: error },
        );
      }
      // Stale: its process is gone, or it had our pid in an earlier life (containers
      // restart with the same pid) since this process holds no lock on it.
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database ${dataDir}: another process keeps taking ${lockPath}`);
}

function locksHeldHere(): Set<string> {
  // On globalThis so that Next's separately bundled copies of this module share one set.
  const store = globalThis as GlobalWithLocks;
  store.__fleetpinDataDirLocks ??= new Set();
  return store.__fleetpinDataDirLocks;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
