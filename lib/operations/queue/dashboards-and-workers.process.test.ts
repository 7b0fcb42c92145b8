// Issue #16 end to end on the built server: two dashboard processes (`next start`) and two
// `npm run worker` processes on one PostgreSQL, three Docker hosts (the test services' engines,
// the third over TCP + TLS). A bulk reprovision of 60 workspaces started through ONE dashboard's
// API completes with each workspace recreated exactly once while one worker is killed by PID
// (SIGKILL) mid-run, and the per-host limit is never exceeded. Both are read from Docker's own
// event streams, one per engine, never from Fleetpin's records or the clock.
//
// Needs `npm run build` first (scripts/test-all.sh runs it after the build with
// FLEETPIN_BUILT_SERVER_TESTS=1); skipped otherwise, since a stale build would test old code.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Database } from "@/lib/db/client";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { addHost } from "@/lib/hosts/hosts";
import { runOperation } from "@/lib/operations/run-operation";
import { containerName } from "@/lib/provisioner/containers/naming";
import { registerLocalHost } from "@/lib/provisioner/docker/hosts";
import { hostInputSchema } from "@/lib/schemas/host";
import { makeToken } from "@/test/api-client";
import { dockerServicesAvailable, dockerTestEnv, pushTwoTemplateImages, testNamespace } from "@/test/docker";
import {
  countOccurrences,
  followContainerEvents,
  maxInFlight,
  spanning,
  type ContainerEvent,
} from "@/test/docker-events";
import { startWorkerProcess, type WorkerProcess } from "@/test/fixtures/worker-process";
import type { PushedImage } from "@/test/images";
import { createPlatformContainer, removePlatformContainer, testDockerode } from "@/test/platform-containers";
import { serviceEngine, serviceEnginesAvailable, type ServiceEngine } from "@/test/service-engines";
import { usePostgresDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

const run = promisify(execFile);
const built = existsSync(".next/BUILD_ID") && process.env.FLEETPIN_BUILT_SERVER_TESTS === "1";
const servicesUp = built && dockerServicesAvailable() && serviceEnginesAvailable();
const RUNTIME = "gemini-cli";
const HOST_LIMIT = 4;
const PER_HOST = Number(process.env.QUEUE_TEST_WORKSPACES_PER_HOST) || 20;
const HOSTS = ["local", "h2", "h3"] as const;
type HostName = (typeof HOSTS)[number];

describe.runIf(servicesUp)("two dashboards and two workers on one PostgreSQL, three hosts", () => {
  const url = usePostgresDatabase();
  const namespace = testNamespace("fleet");
  const env = dockerTestEnv(namespace, {
    FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64"),
    FLEETPIN_STOP_TIMEOUT_SECONDS: "1",
  });
  // `local` is DOCKER_HOST, registered from the env; h2 and h3 are registered by endpoint (h3 with its client certificates).
  const engines: Record<HostName, ServiceEngine> | undefined = servicesUp
    ? {
        local: {
          unixHost: process.env.DOCKER_HOST!,
          endpoint: process.env.DOCKER_HOST!,
          tls: null,
          dockerode: testDockerode,
        },
        h2: serviceEngine(2),
        h3: serviceEngine(3),
      }
    : undefined;
  const engine = (host: HostName) => engines![host];
  const dockerodeOf = (host: HostName) => engine(host).dockerode();
  let database: Database;
  let images: { a: PushedImage; b: PushedImage };
  const made: { workspaceId: string; name: string; host: HostName }[] = [];
  const dashboards: { child: ChildProcess; baseURL: string }[] = [];
  const workers: WorkerProcess[] = [];
  const processEnv = () => ({
    ...env,
    DATABASE_URL: url(),
    FLEETPIN_HOST_CONCURRENCY: String(HOST_LIMIT),
    // A killed worker's lock is trusted this long (more than the 15 s lock heartbeat), its job's heartbeat looked at every 5 s.
    FLEETPIN_LOCK_STALE_SECONDS: "30",
    FLEETPIN_JOBS_SUPERVISE_SECONDS: "5",
    // Live state would adopt what other test files make on the shared engines; this test syncs on purpose.
    FLEETPIN_LIVE_STATE: "0",
    FLEETPIN_WATCH_INTERVAL: "0",
    FLEETPIN_LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
  });

  beforeAll(async () => {
    images = await pushTwoTemplateImages(namespace, RUNTIME);
    for (const host of HOSTS)
      await run("docker", ["pull", images.a.ref], { env: { ...process.env, DOCKER_HOST: engine(host).unixHost } });
    database = await openDatabase({ kind: "postgres", url: url(), displayUrl: "test" });
    const db = database.db;
    await registerLocalHost(db, env);
    for (const host of ["h2", "h3"] as const) {
      const { endpoint, tls } = engine(host);
      await addHost(db, hostInputSchema.parse({ name: host, endpoint, tls, concurrency: HOST_LIMIT }), "test", env);
    }
    // Workspaces as the platform makes them, spread over the three engines, then adopted by a sync.
    await db.runtimeImagePin.create({ data: { templateName: RUNTIME, digest: images.a.digest } });
    for (const host of HOSTS) {
      const dockerode = dockerodeOf(host);
      for (let i = 0; i < PER_HOST; i++) {
        const container = await createPlatformContainer(
          {
            image: images.a.ref,
            runtime: RUNTIME,
            privileged: false,
            publishPort: false,
            cmd: ["/bin/sh", "-c", "sleep 100000"],
          },
          dockerode,
        );
        made.push({ workspaceId: container.workspaceId, name: container.name, host });
      }
    }
    const sync = await enqueueSync(db, "test");
    expect(await runOperation(sync.operationId, { db, env })).toBe("succeeded");
    // The engines are shared: the sync also adopts what other tests left on them. This test's fleet is what it made.
    await db.workspace.updateMany({
      where: { id: { notIn: made.map((m) => m.workspaceId) } },
      data: { status: "removed" },
    });
    await db.runtimeImagePin.update({ where: { templateName: RUNTIME }, data: { digest: images.b.digest } });

    const started = await Promise.all([startDashboard(processEnv()), startDashboard(processEnv())]);
    dashboards.push(...started);
    workers.push(...(await Promise.all([startWorkerProcess(processEnv()), startWorkerProcess(processEnv())])));
  }, 900_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    for (const dashboard of dashboards) killGroup(dashboard.child, "SIGKILL");
    await database?.close();
    for (const { workspaceId, name, host } of made) {
      const docker = dockerodeOf(host);
      const leftovers = await docker.listContainers({ all: true, filters: { name: [name] } }).catch(() => []);
      for (const container of leftovers)
        await docker
          .getContainer(container.Id)
          .remove({ force: true })
          .catch(() => undefined);
      await removePlatformContainer({ name, workspaceId }, docker);
    }
  }, 600_000);

  it(`recreates each of ${PER_HOST * 3} workspaces once while a worker is killed, never more than ${HOST_LIMIT} at once per host`, async () => {
    const db = database.db;
    const ids = made.map((m) => m.workspaceId);
    const recordings = Object.fromEntries(
      await Promise.all(HOSTS.map(async (host) => [host, await followContainerEvents(engine(host).unixHost)])),
    ) as Record<HostName, Awaited<ReturnType<typeof followContainerEvents>>>;

    // Started through the first dashboard's API, as CI would.
    const { token } = await makeToken(db, "operator");
    const response = await fetch(`${dashboards[0]!.baseURL}/api/v1/reprovision`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ template: RUNTIME, concurrency: 12, reason: "two dashboards, two workers" }),
    });
    const started = (await response.json()) as { operation_id: string; queued: number };
    expect(response.status, JSON.stringify(started)).toBe(202);
    expect(started.queued).toBe(ids.length);
    const operationId = started.operation_id;

    // Mid-run: a worker with an item in flight right now (its log says started, not yet ended) dies without a word.
    await waitFor(
      async () => (await db.operationItem.count({ where: { operationId, status: "succeeded" } })) >= 3,
      "three items to succeed",
      300_000,
    );
    const inFlight = (worker: WorkerProcess) =>
      countOccurrences(worker.output(), '"event":"item_started"') -
      countOccurrences(worker.output(), '"event":"item_ended"');
    let victim: WorkerProcess | undefined;
    await waitFor(
      async () => (victim = workers.find((worker) => inFlight(worker) > 0)) !== undefined,
      "a worker with an item in flight",
      300_000,
    );
    const marker = `kill-marker-${randomBytes(4).toString("hex")}`;
    victim!.kill("SIGKILL");
    await victim!.exited;
    // A create event in each engine's own stream marks the moment of the kill among the items' events.
    for (const host of HOSTS)
      await run("docker", ["create", "--name", marker, "--network", "none", images.a.digestRef], {
        env: { ...process.env, DOCKER_HOST: engine(host).unixHost },
      });

    await waitFor(
      async () =>
        !["queued", "running"].includes((await db.operation.findUniqueOrThrow({ where: { id: operationId } })).status),
      "the operation to end",
      1_200_000,
    );
    const events = {} as Record<HostName, ContainerEvent[]>;
    for (const host of HOSTS) {
      events[host] = await recordings[host].stop(images.a.digestRef);
      await run("docker", ["rm", "-f", marker], { env: { ...process.env, DOCKER_HOST: engine(host).unixHost } });
    }

    expect(await db.operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({
      status: "succeeded",
      succeeded: ids.length,
      failed: 0,
    });
    expect(await db.auditLog.count({ where: { targetId: operationId, action: "operation.finished" } })).toBe(1);
    for (const host of HOSTS) {
      const mine = made.filter((m) => m.host === host).map((m) => m.workspaceId);
      const ofMine = events[host].filter((event) => event.name === marker || mine.includes(event.workspaceId ?? ""));
      // Exactly one new container per workspace, on its own engine.
      const creates = new Map<string, number>();
      for (const event of ofMine)
        if (event.action === "create" && event.workspaceId)
          creates.set(event.workspaceId, (creates.get(event.workspaceId) ?? 0) + 1);
      expect(
        mine.map((id) => creates.get(id) ?? 0),
        host,
      ).toEqual(mine.map(() => 1));
      // Never more than the host's limit in flight; an item the killed worker left and another finished spans the kill.
      const peak = maxInFlight(ofMine, spanning(ofMine, marker));
      console.info(`host ${host}: at most ${peak} recreates in flight (limit ${HOST_LIMIT})`);
      expect(peak, host).toBeGreaterThan(0);
      expect(peak, host).toBeLessThanOrEqual(HOST_LIMIT);
    }
    for (const { workspaceId, host } of made) {
      const row = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      expect(row, workspaceId).toMatchObject({
        host,
        status: "online",
        runtimeImageDigest: images.b.digest,
        lockedBy: null,
        swapState: null,
      });
      const inspect = await dockerodeOf(host).getContainer(containerName(workspaceId)).inspect();
      expect([inspect.State.Running, inspect.Config.Image]).toEqual([true, images.b.digestRef]);
    }
    // The killed worker's item came back through its job's heartbeat and another process finished it.
    const takenOver = [...workers.filter((worker) => worker !== victim).map((worker) => worker.output())];
    console.info(
      `item take-overs logged by the surviving worker: ${countOccurrences(takenOver.join("\n"), "item_taken_over")}`,
    );
  }, 1_800_000);
});

/** `next start` of the built app on a free port, in its own process group; resolves once /api/health answers. */
async function startDashboard(
  env: Record<string, string | undefined>,
): Promise<{ child: ChildProcess; baseURL: string }> {
  const port = await freePort();
  const log = openSync(`/tmp/fleetpin-dashboard-${port}.log`, "a");
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", log, log],
      detached: true,
    },
  );
  const baseURL = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the dashboard exited with ${child.exitCode}; see /tmp/fleetpin-dashboard-${port}.log`);
      return fetch(`${baseURL}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
    },
    "the dashboard to answer /api/health",
    180_000,
  );
  return { child, baseURL };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
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
