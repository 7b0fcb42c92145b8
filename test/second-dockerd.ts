// A dockerd of the test's own (own data root, exec root, socket and pidfile), to stop and start
// again by PID: the "engine went away and came back" case. Short paths: containerd's socket
// lives under the exec root and unix socket paths are limited to ~100 bytes.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { request } from "node:http";

import { TEST_ADDRESS_POOL } from "./address-pool";

export interface SecondDockerd {
  /** `unix:///…/d.sock` */
  host: string;
  dir: string;
  /** PID of the running dockerd, null while stopped. */
  pid(): number | null;
  start(): Promise<void>;
  /** SIGTERM by PID, then waits for the process to exit (it stops its containers first). */
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  dispose(): Promise<void>;
}

export async function createSecondDockerd(): Promise<SecondDockerd> {
  const dir = await mkdtemp("/tmp/fp-d2-");
  const socket = `${dir}/d.sock`;
  let child: ChildProcess | null = null;

  const ping = () =>
    new Promise<boolean>((resolve) => {
      const req = request({ socketPath: socket, path: "/_ping", timeout: 2_000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
      req.end();
    });

  const self: SecondDockerd = {
    host: `unix://${socket}`,
    dir,
    pid: () => child?.pid ?? null,
    async start() {
      const log = await open(`${dir}/dockerd.log`, "a");
      const args = [
        "--data-root",
        `${dir}/data`,
        "--exec-root",
        `${dir}/x`,
        "--pidfile",
        `${dir}/d.pid`,
        "-H",
        `unix://${socket}`,
      ];
      child = spawn(
        "dockerd",
        [...args, "--iptables=false", "--ip-masq=false", "--bridge=none", ...TEST_ADDRESS_POOL],
        {
          stdio: ["ignore", log.fd, log.fd],
        },
      );
      const started = child;
      started.once("exit", () => void log.close());
      const deadline = Date.now() + 60_000;
      while (!(await ping())) {
        if (started.exitCode !== null)
          throw new Error(`dockerd exited with ${started.exitCode}; see ${dir}/dockerd.log`);
        if (Date.now() > deadline) throw new Error(`dockerd did not answer within 60 s; see ${dir}/dockerd.log`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.pid === undefined) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      process.kill(running.pid, "SIGTERM");
      await exited;
    },
    async dispose() {
      await self.stop();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  return self;
}
