// The production build (`next start`) on a free loopback port, against a
// database of the bench's choosing; stopped (and its output shown on failure)
// by the caller.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { freePort } from "@/test/registries";

/** A running `next start`: its base URL, recent output and a stop function. */
export type NextServer = { baseUrl: string; output: () => string; stop: () => Promise<void> };

/** Starts `next start` with `env` added to this process's environment and waits until /api/health answers. */
export async function startNextServer(env: Record<string, string>, timeoutMs = 60_000): Promise<NextServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [next, "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server: NextServer = { baseUrl, output: () => output, stop: () => stopChild(child) };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`next start did not answer on ${baseUrl}/api/health within ${timeoutMs / 1000}s:\n${output}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
