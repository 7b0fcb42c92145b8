// An extra dockerd for the many-hosts tests: its own data root, exec root and unix socket, and
// with `tls` also a TCP listener on loopback that demands client certificates (`--tlsverify`),
// as a remote engine is exposed. The unix socket stays for test setup (dockerode, the CLI);
// Fleetpin reaches it by `endpoint`. Stop and start it by PID, like test/second-dockerd.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { request } from "node:http";

import Docker from "dockerode";

import { TEST_ADDRESS_POOL } from "./address-pool";
import { makeTlsFiles, type TlsFiles } from "./tls-certs";

export interface HostDockerd {
  /** `unix:///…/d.sock`, for test setup. */
  unixHost: string;
  /** What to register: `tcp://127.0.0.1:<port>` with TLS, else the unix socket. */
  endpoint: string;
  /** Client PEM material when started with TLS. */
  tls: TlsFiles["client"] | null;
  dir: string;
  dockerode(): Docker;
  pid(): number | null;
  start(): Promise<void>;
  /** SIGTERM by PID and wait for the exit (dockerd stops its containers first). */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function createHostDockerd(options: { tls?: boolean } = {}): Promise<HostDockerd> {
  const dir = await mkdtemp("/tmp/fp-h-");
  const socket = `${dir}/d.sock`;
  const files = options.tls ? makeTlsFiles(dir) : null;
  const port = files ? await freePort() : null;
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

  const self: HostDockerd = {
    unixHost: `unix://${socket}`,
    endpoint: port ? `tcp://127.0.0.1:${port}` : `unix://${socket}`,
    tls: files?.client ?? null,
    dir,
    dockerode: () => new Docker({ socketPath: socket }),
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
      if (files && port)
        args.push(
          "-H",
          `tcp://127.0.0.1:${port}`,
          "--tlsverify",
          "--tlscacert",
          files.caPem,
          "--tlscert",
          files.serverCert,
          "--tlskey",
          files.serverKey,
        );
      child = spawn(
        "dockerd",
        [...args, "--iptables=false", "--ip-masq=false", "--bridge=none", ...TEST_ADDRESS_POOL],
        {
          stdio: ["ignore", log.fd, log.fd],
        },
      );
      const started = child;
      started.once("exit", () => void log.close());
      const deadline = Date.now() + 90_000;
      while (!(await ping())) {
        if (started.exitCode !== null)
          throw new Error(`dockerd exited with ${started.exitCode}; see ${dir}/dockerd.log`);
        if (Date.now() > deadline) throw new Error(`dockerd did not answer within 90 s; see ${dir}/dockerd.log`);
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

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
