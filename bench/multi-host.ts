// Section `hosts` (issue #16): a bulk reprovision of N workspaces per host over three Docker hosts
// (the test services' engines, the third over TCP + TLS) at a per-host concurrency of 4, run
// through the job queue (one pg-boss job per item, worked in this process), against the plain
// Docker API doing the same on the same engines: per host, pull the new image once, then
// inspect + remove + create + start each container, 4 at a time, all hosts at once. Each side
// recreates onto an image of its own (same size), so both pull once per host. One round each: the
// figure is the ratio (target ≤ 1.15) and the queue's cost per item (the difference over N × 3).
import { randomBytes } from "node:crypto";

import Docker from "dockerode";

import { registryConfig } from "@/lib/config";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { promotePin } from "@/lib/db/pins";
import { withDigest } from "@/lib/domain/image-ref";
import { runtimeImage } from "@/lib/domain/runtimes";
import { addHost } from "@/lib/hosts/hosts";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { queueOperation } from "@/lib/operations/queue/queue-operation";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";
import { LABEL_WORKSPACE_ID, workspaceVolumeName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { registerLocalHost } from "@/lib/provisioner/docker/hosts";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { hostInputSchema } from "@/lib/schemas/host";
import { mapLimit } from "@/lib/util/map-limit";
import { serviceEngine, serviceEnginesAvailable } from "@/test/service-engines";

import { createBaselineFleet, type BaselineFleet } from "./baseline";
import type { BenchConfig } from "./config";
import { BENCH_ACTOR, openDockerBench } from "./docker-bench";
import type { Report } from "./report";

const TEMPLATE = "langgraph";
const PER_HOST_CONCURRENCY = 4;

export async function measureMultiHost(report: Report, config: BenchConfig): Promise<void> {
  if (!serviceEnginesAvailable()) {
    console.log(
      "multi_host_reprovision_ms SKIP (FLEETPIN_TEST_DOCKER_HOST_2/_3 unset: scripts/services/start.sh sets them)",
    );
    return;
  }
  const perHost = config.smoke ? 2 : 20;
  const bench = await openDockerBench();
  const db = bench.database.db;
  const env: NodeJS.ProcessEnv = {
    ...bench.env,
    FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64"),
    FLEETPIN_HOST_CONCURRENCY: String(PER_HOST_CONCURRENCY),
    FLEETPIN_STOP_TIMEOUT_SECONDS: "1",
  };
  const engines = [
    { name: "local", unixHost: process.env.DOCKER_HOST!, endpoint: process.env.DOCKER_HOST!, tls: null },
    { name: "h2", ...serviceEngine(2) },
    { name: "h3", ...serviceEngine(3) },
  ];
  const dockerodes = engines.map((engine) => new Docker({ socketPath: engine.unixHost.slice("unix://".length) }));
  const made: { host: number; workspaceId: string }[] = [];
  const baselines: BaselineFleet[] = [];
  try {
    const digests = [];
    for (const tag of ["v1", "v2", "v3"])
      digests.push(await bench.pushTemplateImage(TEMPLATE, tag, `${bench.id}-${tag}`));
    const refs = digests.map((digest) => withDigest(runtimeImage(TEMPLATE, registryConfig(env).imagePrefix), digest));
    await registerLocalHost(db, env);
    for (const engine of engines.slice(1))
      await addHost(
        db,
        hostInputSchema.parse({
          name: engine.name,
          endpoint: engine.endpoint,
          tls: engine.tls,
          concurrency: PER_HOST_CONCURRENCY,
        }),
        BENCH_ACTOR,
        env,
      );
    await promotePin(
      db,
      { templateName: TEMPLATE, digest: digests[0]!, expectedDigest: null, reason: "bench" },
      BENCH_ACTOR,
    );
    // The fleets on v1: Fleetpin's workspaces, and the baseline's plain containers beside them.
    for (const [host, engine] of engines.entries()) {
      const docker = createDockerClient({ dockerHost: engine.unixHost });
      const ids = await mapLimit(
        Array.from({ length: perHost }, (_, i) => i),
        4,
        async (i) =>
          (
            await provisionWorkspace(
              { name: `hosts-${bench.id}-${engine.name}-${i}`, runtime: TEMPLATE },
              { db, docker, actor: BENCH_ACTOR, env },
            )
          ).workspaceId,
      );
      await db.workspace.updateMany({ where: { id: { in: ids } }, data: { host: engine.name } });
      made.push(...ids.map((workspaceId) => ({ host, workspaceId })));
      baselines.push(
        await createBaselineFleet(dockerodes[host]!, {
          prefix: `fleetpin-bench-${bench.id}-${engine.name}`,
          count: perHost,
          image: refs[0]!,
          env,
        }),
      );
    }
    const items = perHost * engines.length;

    // Fleetpin: v1 → v2 through the queue (pull once per host, 4 at a time per host).
    await promotePin(
      db,
      { templateName: TEMPLATE, digest: digests[1]!, expectedDigest: digests[0]!, reason: "bench" },
      BENCH_ACTOR,
    );
    await startJobs(bench.database);
    let fleetpinMs: number;
    try {
      await workOperationQueues({ db, env, pollingIntervalSeconds: 0.5 });
      const { operationId } = await enqueueReprovision(db, { allStale: true, concurrency: 12 }, BENCH_ACTOR, env);
      const started = performance.now();
      await queueOperation(operationId, { db, env });
      for (;;) {
        const row = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
        if (row.status !== "queued" && row.status !== "running") {
          if (row.status !== "succeeded") throw new Error(`the bench bulk ended ${row.status}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      fleetpinMs = performance.now() - started;
    } finally {
      await stopJobs();
    }

    // The plain Docker API: v1 → v3, per host one pull then the recreates, 4 at a time, all hosts at once.
    const started = performance.now();
    await Promise.all(
      engines.map(async (_, host) => {
        await pull(dockerodes[host]!, refs[2]!);
        await baselines[host]!.replaceAll(refs[2]!, PER_HOST_CONCURRENCY);
      }),
    );
    const baselineMs = performance.now() - started;
    const ratio = fleetpinMs / baselineMs;
    report.add({
      name: "multi_host_reprovision_ms",
      labels: { hosts: engines.length, workspaces: items, per_host_concurrency: PER_HOST_CONCURRENCY, tls_hosts: 1 },
      values: {
        fleetpin: Math.round(fleetpinMs),
        baseline: Math.round(baselineMs),
        ratio: Number(ratio.toFixed(3)),
        queue_overhead_per_item_ms: Math.round((fleetpinMs - baselineMs) / items),
      },
      target: { key: "ratio", op: "<=", limit: 1.15 },
      samples: [fleetpinMs, baselineMs],
    });
  } finally {
    await Promise.all(baselines.map((fleet) => fleet.remove()));
    for (const { host, workspaceId } of made) {
      const containers = await dockerodes[host]!.listContainers({
        all: true,
        filters: { label: [`${LABEL_WORKSPACE_ID}=${workspaceId}`] },
      });
      for (const container of containers)
        await dockerodes[host]!.getContainer(container.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
      await dockerodes[host]!.getVolume(workspaceVolumeName(workspaceId))
        .remove()
        .catch(() => undefined);
    }
    await bench.close();
  }
}

function pull(docker: Docker, ref: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.pull(ref, (error: Error | null, stream: NodeJS.ReadableStream) => {
      if (error) return reject(error);
      docker.modem.followProgress(stream, (done: Error | null) => (done ? reject(done) : resolve()));
    });
  });
}
