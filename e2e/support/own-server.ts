// A Fleetpin server process of one spec's own, with its own PostgreSQL database, for journeys the
// shared e2e server cannot show: that one runs with FLEETPIN_LIVE_STATE=0 because it shares the
// test dockerd with the containers of every other test (scripts/e2e.sh).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { promisify } from "node:util";

import type { TestInfo } from "@playwright/test";

import { e2eEnv } from "./env";

const run = promisify(execFile);

export interface OwnServer {
  baseURL: string;
  databaseUrl: string;
  /** Stops the server (SIGTERM, then SIGKILL) and drops its database; safe to call twice or after a failed start. */
  stop(): Promise<void>;
  /** Stops the server process (SIGTERM), runs `whileDown`, and starts it again on the same database and port. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

export interface OwnServerOptions {
  /** Extra environment of the server (DOCKER_HOST, MOLECULE_IMAGE_REGISTRY, FLEETPIN_* settings). */
  env: Record<string, string>;
  /** Accounts to create before the server starts (same emails/passwords as scripts/e2e.sh's, so support/auth.ts signs in). */
  operator: { email: string; password: string };
  /** Where the server's stdout and stderr go. */
  logFile: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through scripts/e2e.sh`);
  return value;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function psql(sql: string): Promise<void> {
  await run("psql", [required("TEST_PG_ADMIN_URL"), "-qc", sql]);
}

/** Creates and migrates a database, creates the operator, starts `next start` on a free port and waits for /api/health. */
export async function startOwnServer(options: OwnServerOptions): Promise<OwnServer> {
  const adminUrl = required("TEST_PG_ADMIN_URL");
  const database = `fleetpin_e2e_own_${randomBytes(4).toString("hex")}`;
  const databaseUrl = `${adminUrl.slice(0, adminUrl.lastIndexOf("/"))}/${database}`;
  let child: ChildProcess | null = null;
  let stopped = false;

  const stopProcess = async () => {
    const current = child;
    if (current && current.exitCode === null && current.signalCode === null && current.pid) {
      const gone = new Promise((resolve) => current.once("exit", resolve));
      // Its own process group: `next start` may leave workers behind otherwise.
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-current.pid!, signal);
        } catch {
          /* already gone */
        }
      };
      signalGroup("SIGTERM");
      const exited = await Promise.race([
        gone.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
      ]);
      if (!exited) {
        signalGroup("SIGKILL");
        await gone;
      }
    }
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProcess();
    await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  };
  const env = { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
  let port = 0;
  const baseURL = () => `http://127.0.0.1:${port}`;
  const startProcess = async () => {
    const log = openSync(options.logFile, "a");
    const started = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
      {
        env: { ...env, ...options.env },
        stdio: ["ignore", log, log],
        detached: true,
      },
    );
    child = started;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (started.exitCode !== null)
        throw new Error(`the server exited with ${started.exitCode}; see ${options.logFile}`);
      const healthy = await fetch(`${baseURL()}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() > deadline)
        throw new Error(`the server did not answer /api/health within 120 s; see ${options.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const restart = async (whileDown?: () => Promise<void>) => {
    await stopProcess();
    await whileDown?.();
    await startProcess();
  };

  try {
    await psql(`CREATE DATABASE ${database}`);
    await run("npm", ["run", "--silent", "db:migrate"], { env });
    const { email, password } = options.operator;
    await run(
      "npm",
      ["run", "--silent", "user:create", "--", "--email", email, "--role", "operator", "--password", password],
      { env },
    );
    port = await freePort();
    await startProcess();
    return { baseURL: baseURL(), databaseUrl, stop, restart };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs one SQL query on the server's database and returns psql's unaligned, tuples-only output. */
export async function queryOwnDatabase(databaseUrl: string, sql: string): Promise<string> {
  const { stdout } = await run("psql", [databaseUrl, "-Atqc", sql]);
  return stdout.trim();
}

/**
 * A journey's own server on the shared test registry and dockerd: the journey's image namespace,
 * no container network (the test dockerd has none), live state off unless `env` turns it on, and
 * the e2e operator account, logging into the test's output folder.
 */
export function startJourneyServer(
  testInfo: TestInfo,
  namespace: string,
  env: Record<string, string> = {},
): Promise<OwnServer> {
  return startOwnServer({
    operator: e2eEnv.account("operator"),
    logFile: testInfo.outputPath("own-server.log"),
    env: {
      MOLECULE_IMAGE_REGISTRY: `${e2eEnv.registryHost}/${namespace}`,
      FLEETPIN_CONTAINER_NETWORK: "none",
      FLEETPIN_LIVE_STATE: "0",
      ...env,
    },
  });
}
