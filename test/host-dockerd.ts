// A dockerd of a test's own: its own data root, exec root, pidfile and unix socket, and with `tls`
// also a TCP listener on loopback that demands client certificates (`--tlsverify`), as a remote
// engine is exposed. For tests that stop or kill an engine by PID mid-run; a test that only needs
// more engines uses the services' (test/service-engines.ts), which start with the test services.
// The unix socket stays for test setup (dockerode, the CLI); Fleetpin reaches it by `endpoint`.
// Short paths: containerd's socket lives under the exec root and unix socket paths are limited to
// ~107 bytes. test/private-dockerd.ts is the same engine under the browser journeys' older names.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
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
  /** PID of the running dockerd, null while stopped. */
  pid(): number | null;
  start(): Promise<void>;
  /** SIGTERM by PID and wait for the exit (dockerd stops its containers first). */
  stop(): Promise<void>;
  /** SIGKILL by PID, the way a crash or an OOM kill ends it, and its orphaned containerd with it. */
  kill(): Promise<void>;
  /** Stops it (SIGTERM, SIGKILL after 15 s), unmounts what it left and deletes its folder. */
  dispose(): Promise<void>;
}

export async function createHostDockerd(options: { tls?: boolean; prefix?: string } = {}): Promise<HostDockerd> {
  const dir = await mkdtemp(options.prefix ?? "/tmp/fp-h-");
  const socket = `${dir}/d.sock`;
  const files = options.tls ? makeTlsFiles(dir) : null;
  const port = files ? await freePort() : null;
  let child: ChildProcess | null = null;

  const signal = async (name: "SIGTERM" | "SIGKILL", waitMs = Number.POSITIVE_INFINITY): Promise<boolean> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null || running.pid === undefined) return true;
    const exited = new Promise<boolean>((resolve) => running.once("exit", () => resolve(true)));
    process.kill(running.pid, name);
    const gone = await (Number.isFinite(waitMs)
      ? Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs))])
      : exited);
    if (gone && child === running) child = null;
    return gone;
  };

  const self: HostDockerd = {
    unixHost: `unix://${socket}`,
    endpoint: port ? `tcp://127.0.0.1:${port}` : `unix://${socket}`,
    tls: files?.client ?? null,
    dir,
    dockerode: () => new Docker({ socketPath: socket }),
    pid: () => child?.pid ?? null,
    async start() {
      const log = await open(`${dir}/dockerd.log`, "a");
      const args = ["--data-root", `${dir}/data`, "--exec-root", `${dir}/x`, "--pidfile", `${dir}/d.pid`];
      args.push("-H", `unix://${socket}`);
      if (files && port) {
        args.push("-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", files.caPem);
        args.push("--tlscert", files.serverCert, "--tlskey", files.serverKey);
      }
      const started = spawn(
        "dockerd",
        [...args, "--iptables=false", "--ip-masq=false", "--bridge=none", ...TEST_ADDRESS_POOL],
        { stdio: ["ignore", log.fd, log.fd] },
      );
      child = started;
      started.once("exit", () => void log.close());
      const deadline = Date.now() + 90_000;
      while (!(await pingSocket(socket))) {
        if (started.exitCode !== null)
          throw new Error(`dockerd exited with ${started.exitCode}; see ${dir}/dockerd.log`);
        if (Date.now() > deadline) {
          const tail = (await readFile(`${dir}/dockerd.log`, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
          throw new Error(`dockerd in ${dir} did not answer within 90 s; its log ends:\n${tail}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      await signal("SIGTERM");
    },
    async kill() {
      await signal("SIGKILL");
      // Its managed containerd outlives it and, orphaned, may stop answering: a dockerd started
      // again then waits on it forever. A crashed service's unit would take it down too.
      await killPidFile(`${dir}/x/containerd/containerd.pid`);
    },
    async dispose() {
      if (!(await signal("SIGTERM", 15_000))) await self.kill();
      await unmountUnder(dir);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  return self;
}

function pingSocket(socket: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = request({ socketPath: socket, path: "/_ping", timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function killPidFile(file: string): Promise<void> {
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

// A killed dockerd leaves its mounts behind; they must go before the folder can.
async function unmountUnder(dir: string): Promise<void> {
  const { execFile } = await import("node:child_process");
  const mounts = (await readFile("/proc/mounts", "utf8"))
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((m) => m.startsWith(`${dir}/`));
  for (const mount of mounts.sort().reverse()) {
    await new Promise((resolve) => execFile("umount", ["-l", mount], () => resolve(undefined)));
  }
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
