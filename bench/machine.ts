// What the figures were measured on, for the JSON file: figures from a
// 2-core CI box and a 16-core laptop are not comparable without it.
import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";

import Docker from "dockerode";
import { Client } from "pg";

import { dockerConnection } from "@/lib/provisioner/docker/client";

const run = promisify(execFile);

/** Machine, runtime and service versions; a service that does not answer is recorded as such. */
export async function machineInfo(): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}/${process.arch}`,
    kernel: os.release(),
    // Shared machines (CI, several engineers on one box) skew figures; the load says how much.
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    postgres: await postgresVersion().catch((error: Error) => `unavailable: ${error.message}`),
    docker: await dockerVersion().catch((error: Error) => `unavailable: ${error.message}`),
    gitCommit: await run("git", ["rev-parse", "--short", "HEAD"])
      .then(({ stdout }) => stdout.trim())
      .catch(() => "unknown"),
  };
}

async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function dockerVersion(): Promise<string> {
  const version = await new Docker(dockerConnection({}).modem).version();
  return `${version.Version} (API ${version.ApiVersion})`;
}
