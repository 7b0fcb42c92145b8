import "server-only";

import { open, readFile, rm } from "node:fs/promises";

export type DataDirLock = { release: () => Promise<void> };

/**
 * PGlite is single-process: two processes opening one data folder corrupt it.
 * A pid file beside the folder turns that into a clear error (for example
 * `npm run user:create` while the dashboard runs on the embedded database).
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${holder}. Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.`,
        );
      }
      // A stale lock from a process that is gone (or from ourselves): take it over.
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
