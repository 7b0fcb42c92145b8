import { chmod, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { captureLogs } from "@/lib/log/capture";

import { openDatabase } from "./client";

// #13 item 5: another local user read argon2 hashes and emails from the
// embedded database's write-ahead log (folder 0755, files 0666).

/** Every entry under `root` (itself included) whose mode lets group or others in. */
async function openToOthers(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (entry: string) => {
    const info = await stat(entry);
    if (info.mode & 0o077) found.push(`${path.relative(root, entry) || "."} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
  return found;
}

async function chmodTree(root: string, dirMode: number, fileMode: number): Promise<void> {
  const info = await stat(root);
  if (info.isDirectory()) {
    for (const name of await readdir(root)) await chmodTree(path.join(root, name), dirMode, fileMode);
    await chmod(root, dirMode);
  } else {
    await chmod(root, fileMode);
  }
}

describe("the embedded database's data folder", () => {
  let folder: string;
  let umask: number;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "fleetpin-data-perms-"));
    // What a default shell gives a server; the fix must not rely on the caller's umask.
    umask = process.umask(0o022);
  });
  afterEach(async () => {
    process.umask(umask);
    vi.restoreAllMocks();
    await rm(folder, { recursive: true, force: true });
  });

  it("is created 0700 and every file in it is private to the owner, write-ahead log included", async () => {
    const dataDir = path.join(folder, "pglite");
    const database = await openDatabase({ kind: "pglite", dataDir });
    await database.db.$executeRawUnsafe("CREATE TABLE filler AS SELECT g AS n FROM generate_series(1, 5000) g");
    await database.close();

    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect(await openToOthers(dataDir)).toEqual([]);
  });

  it("tightens a folder an older version left open (0755, files 0666) on start, and says so", async () => {
    const dataDir = path.join(folder, "pglite");
    await (await openDatabase({ kind: "pglite", dataDir })).close();
    await chmodTree(dataDir, 0o755, 0o666);
    const logs = captureLogs();
    try {
      const database = await openDatabase({ kind: "pglite", dataDir });
      await database.close();
    } finally {
      logs.restore();
    }

    expect(await openToOthers(dataDir)).toEqual([]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: expect.stringContaining(
          `${dataDir} was open to other users (mode 755): restricted it to its owner (0700)`,
        ),
      }),
    );
  });
});
