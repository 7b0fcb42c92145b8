import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { acquireDataDirLock } from "./data-dir-lock";

let scratch: string;
let counter = 0;

/** A data folder path of its own per test (the folder itself need not exist). */
function dataDir(): string {
  return path.join(scratch, `pglite-${++counter}`);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "fleetpin-lock-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("acquireDataDirLock", () => {
  it("writes our pid beside the folder and removes it on release", async () => {
    const dir = dataDir();

    const lock = await acquireDataDirLock(dir);

    expect(await readFile(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    await lock.release();
    await expect(readFile(`${dir}.lock`, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
    await (await acquireDataDirLock(dir)).release();
  });

  it("refuses a second open in this process while the first holds the lock", async () => {
    const dir = dataDir();
    const first = await acquireDataDirLock(dir);

    await expect(acquireDataDirLock(dir)).rejects.toThrow(`is in use by process ${process.pid} (this process`);

    expect(await readFile(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    await first.release();
  });

  it("lets exactly one of two racing opens in this process win", async () => {
    const dir = dataDir();

    const results = await Promise.allSettled([acquireDataDirLock(dir), acquireDataDirLock(dir)]);

    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    for (const result of results) if (result.status === "fulfilled") await result.value.release();
  });

  it("refuses while another live process holds the lock", async () => {
    const dir = dataDir();
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await writeFile(`${dir}.lock`, String(other.pid));

      await expect(acquireDataDirLock(dir)).rejects.toThrow(
        `the embedded database ${dir} is in use by process ${other.pid}. Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.`,
      );
      expect(await readFile(`${dir}.lock`, "utf8")).toBe(String(other.pid));
    } finally {
      other.kill();
    }
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dir = dataDir();
    const gone = spawn("true", { stdio: "ignore" });
    await once(gone, "exit");
    await writeFile(`${dir}.lock`, String(gone.pid));

    const lock = await acquireDataDirLock(dir);

    expect(await readFile(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    await lock.release();
  });

  it.each([
    ["our own pid from an earlier life (a restarted container)", () => String(process.pid)],
    ["garbage", () => "not a pid\n"],
    ["nothing", () => ""],
  ])("takes over a lock file holding %s", async (_, content) => {
    const dir = dataDir();
    await writeFile(`${dir}.lock`, content());

    const lock = await acquireDataDirLock(dir);

    expect(await readFile(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    await lock.release();
  });

  it("release is idempotent and frees the folder for this process again", async () => {
    const dir = dataDir();
    const lock = await acquireDataDirLock(dir);

    await lock.release();
    await lock.release();

    await (await acquireDataDirLock(dir)).release();
  });
});
