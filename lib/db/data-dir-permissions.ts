import "server-only";

import { chmod, mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";

import { getLogger } from "@/lib/log/logger";

const PRIVATE_DIR = 0o700;
const OTHERS = 0o077;

/**
 * Makes the embedded database's folder private to the user running Fleetpin
 * before PGlite opens it (#13 item 5): it holds argon2 hashes, emails and
 * session digests, in the tables and in the write-ahead log.
 * - The process umask becomes 077, so every file PGlite writes from now on
 *   (new WAL segments too) is owner-only. It is process-wide on purpose:
 *   nothing Fleetpin writes is meant for other local users.
 * - The folder is created 0700; one an older version left open (0755, files
 *   0666) is tightened, folder and contents, with a log line saying so.
 */
export async function securePgliteDataDir(
  dataDir: string,
  warn: (message: string) => void = (message) =>
    getLogger({ source: "database" }).warn({ event: "data_dir_tightened", dataDir }, message),
): Promise<void> {
  process.umask(OTHERS);
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const mode = (await stat(dataDir)).mode & 0o777;
  if ((mode & OTHERS) === 0) return;
  const changed = await removeOthersAccess(dataDir);
  warn(
    `the data folder ${dataDir} was open to other users (mode ${mode.toString(8)}): restricted it to its owner (0700) and ${changed} entr${changed === 1 ? "y" : "ies"} in it`,
  );
}

/**
 * After PGlite has opened the folder: its file system layer sets the modes
 * Postgres asks for itself (0666 for the files initdb unpacks), ignoring the
 * umask, so those are tightened here. Files it adds later still sit inside
 * the 0700 folder, which other users cannot enter.
 */
export async function restrictPgliteFiles(dataDir: string): Promise<void> {
  await removeOthersAccess(dataDir);
}

/** Clears group and other bits under `entry` (itself included); returns how many entries changed. */
async function removeOthersAccess(entry: string): Promise<number> {
  const info = await stat(entry);
  let changed = 0;
  if (info.isDirectory()) {
    for (const name of await readdir(entry)) changed += await removeOthersAccess(path.join(entry, name));
  }
  if (info.mode & OTHERS) {
    await chmod(entry, info.mode & 0o700);
    changed++;
  }
  return changed;
}
