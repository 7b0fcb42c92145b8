// A dockerd of a test's own (own data root, exec root, socket and pidfile), for tests that kill
// the engine by PID mid-run. The shared test dockerd is never killed: other files use it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { TEST_ADDRESS_POOL } from "./address-pool";

export interface PrivateDockerd {
  /** `unix://…` for DOCKER_HOST / createDockerClient({ dockerHost }). */
  host: string;
  pid(): number;
  /** SIGKILL, the way a crash or an OOM kill ends it; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data root (its containers come back as dockerd decides). */
  start(): Promise<void>;
  /** Stops it and removes everything it had. */
  destroy(): Promise<void>;
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
  // Short path: unix socket paths are limited to ~107 bytes.
  const dir = await mkdtemp(path.join(tmpdir(), "fpd-"));
  const socket = path.join(dir, "d.sock");
  let child: ChildProcess | null = null;

  const start = async () => {
    const { openSync } = await import("node:fs");
    const log = openSync(path.join(dir, "dockerd.log"), "a");
    child = spawn(
      "dockerd",
      [
        "--data-root",
        path.join(dir, "data"),
        "--exec-root",
        path.join(dir, "exec"),
        "--pidfile",
        path.join(dir, "d.pid"),
        "-H",
        `unix://${socket}`,
        "--iptables=false",
        "--ip-masq=false",
        "--bridge=none",
        ...TEST_ADDRESS_POOL,
      ],
      { stdio: ["ignore", log, log] },
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const ok = await fetchPing(socket);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { readFile } = await import("node:fs/promises");
    const tail = (await readFile(path.join(dir, "dockerd.log"), "utf8").catch(() => ""))
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new Error(`private dockerd in ${dir} did not answer within 60 s; its log ends:\n${tail}`);
  };

  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    const gone = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await gone;
    // Its managed containerd outlives it and, orphaned, may stop answering: a dockerd started
    // again then waits on it forever. A crashed service's unit would take it down too.
    await killPidFile(path.join(dir, "exec", "containerd", "containerd.pid"));
  };

  await start();
  return {
    host: `unix://${socket}`,
    pid: () => child?.pid ?? -1,
    kill,
    start,
    async destroy() {
      const current = child;
      if (current && current.exitCode === null) {
        const gone = new Promise((resolve) => current.once("exit", resolve));
        current.kill("SIGTERM");
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (current.exitCode === null) await kill();
      }
      await unmountUnder(dir);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

async function killPidFile(file: string): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fetchPing(socket: string): Promise<boolean> {
  const http = await import("node:http");
  return new Promise((resolve) => {
    const request = http.request({ socketPath: socket, path: "/_ping", timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => {
      request.destroy();
      resolve(false);
    });
    request.end();
  });
}

// A killed dockerd leaves its mounts behind; they must go before the folder can.
async function unmountUnder(dir: string): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const { execFile } = await import("node:child_process");
  const mounts = (await readFile("/proc/mounts", "utf8"))
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((m) => m.startsWith(dir));
  for (const mount of mounts.sort().reverse()) {
    await new Promise((resolve) => execFile("umount", ["-l", mount], () => resolve(undefined)));
  }
}
