// Section `hosts` (issue #16): a bulk reprovision of N workspaces per host over three Docker hosts
// (the test services' engines, the third over TCP + TLS) at a per-host concurrency of 4, run
// through the job queue (one pg-boss job per item, worked in this process), against the plain
// Docker API doing the same on the same engines: per host, pull the new image once, then
// inspect + remove + create + start each container, 4 at a time, all hosts at once. Each side
// recreates onto an image of its own (same size) each round, so both pull once per host per round.
// Three rounds (one in smoke), alternating who goes first so neither always meets the machine's
// leftovers of the other: the figure is the ratio of the medians (target ≤ 1.15), the median of the
// per-round ratios, and the queue's cost per item (the difference of the medians over N × 3). The
// workers run with the product's own polling (NOTIFY on send, slow backstop), as in production.
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
import { dockerClientForHost, registerLocalHost } from "@/lib/provisioner/docker/hosts";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { hostInputSchema } from "@/lib/schemas/host";
import { mapLimit } from "@/lib/util/map-limit";
import { serviceEngine, serviceEnginesAvailable } from "@/test/service-engines";

import { createBaselineFleet, type BaselineFleet } from "./baseline";
import { recordCalls, type CallRecorder, type CallTotals } from "./call-recorder";
import type { BenchConfig } from "./config";
import { BENCH_ACTOR, openDockerBench } from "./docker-bench";
import { stats, type Report } from "./report";

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
  // The baseline talks to each engine the way Fleetpin does: the third over TCP + TLS, not its socket.
  const baselineDockers = engines.map((engine, host) => (engine.tls ? tlsDockerode(engine) : dockerodes[host]!));
  const made: { host: number; workspaceId: string }[] = [];
  const baselines: BaselineFleet[] = [];
  try {
    const rounds = config.smoke ? 1 : 3;
    // v0 for both fleets, then per round one image for Fleetpin's promote and one for the baseline.
    const digests: string[] = [];
    for (let i = 0; i <= 2 * rounds; i++)
      digests.push(await bench.pushTemplateImage(TEMPLATE, `v${i}`, `${bench.id}-v${i}`));
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
    // The fleets on v0: Fleetpin's workspaces, and the baseline's plain containers beside them.
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
        await createBaselineFleet(baselineDockers[host]!, {
          prefix: `fleetpin-bench-${bench.id}-${engine.name}`,
          count: perHost,
          image: refs[0]!,
          env,
        }),
      );
    }
    const items = perHost * engines.length;

    // Fleetpin: promote, then one bulk of every stale workspace through the queue (pull once per host, 4 at a time per host).
    let pinned = digests[0]!;
    const fleetpinRound = async (digest: string): Promise<number> => {
      await promotePin(db, { templateName: TEMPLATE, digest, expectedDigest: pinned, reason: "bench" }, BENCH_ACTOR);
      pinned = digest;
      const { operationId } = await enqueueReprovision(db, { allStale: true, concurrency: 12 }, BENCH_ACTOR, env);
      const started = performance.now();
      await queueOperation(operationId, { db, env });
      for (;;) {
        const row = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
        if (row.status !== "queued" && row.status !== "running") {
          if (row.status !== "succeeded") throw new Error(`the bench bulk ended ${row.status}`);
          return performance.now() - started;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    // The plain Docker API: per host one pull then the recreates, 4 at a time, all hosts at once.
    const baselineRound = async (ref: string): Promise<number> => {
      const started = performance.now();
      await Promise.all(
        engines.map(async (_, host) => {
          await pull(baselineDockers[host]!, ref);
          await baselines[host]!.replaceAll(ref, PER_HOST_CONCURRENCY, baselineCalls);
        }),
      );
      return performance.now() - started;
    };

    const fleetpin: number[] = [];
    const baseline: number[] = [];
    // What each side asks of Docker (calls and summed ms per method), over all rounds: what the ratio is made of.
    const recorders = new Map<string, Promise<CallRecorder>>();
    const recordedClient = async (name: string) => {
      // The promise is kept, so items starting together on one host share one recorder.
      if (!recorders.has(name))
        recorders.set(
          name,
          dockerClientForHost(name, { db, env }).then((docker) => recordCalls(docker, db)),
        );
      return (await recorders.get(name)!).docker;
    };
    const baselineCalls: CallTotals = {};
    await startJobs(bench.database);
    try {
      await workOperationQueues({ db, env, dockerForHost: recordedClient });
      for (let round = 0; round < rounds; round++) {
        const runFleetpin = async () => fleetpin.push(await fleetpinRound(digests[1 + 2 * round]!));
        const runBaseline = async () => baseline.push(await baselineRound(refs[2 + 2 * round]!));
        for (const run of round % 2 === 0 ? [runFleetpin, runBaseline] : [runBaseline, runFleetpin]) await run();
      }
    } finally {
      await stopJobs();
    }
    const f = stats(fleetpin);
    const b = stats(baseline);
    report.add({
      name: "multi_host_reprovision_ms",
      labels: {
        hosts: engines.length,
        workspaces: items,
        per_host_concurrency: PER_HOST_CONCURRENCY,
        tls_hosts: 1,
        rounds,
      },
      values: {
        fleetpin_median: Math.round(f.median),
        baseline_median: Math.round(b.median),
        paired_ratio_median: Number(stats(fleetpin.map((ms, i) => ms / baseline[i]!)).median.toFixed(3)),
        ratio: Number((f.median / b.median).toFixed(3)),
        queue_overhead_per_item_ms: Math.round((f.median - b.median) / items),
      },
      target: { key: "ratio", op: "<=", limit: 1.15 },
      samples: [...fleetpin, ...baseline],
    });
    const fleetpinCalls = mergeTotals(
      (await Promise.all(recorders.values())).map((recorder) => recorder.dockerTotals()),
    );
    for (const [side, totals] of [
      ["fleetpin", fleetpinCalls],
      ["baseline", baselineCalls],
    ] as const) {
      const all = Object.values(totals);
      report.add({
        name: "multi_host_profile",
        labels: { side, per: "item" },
        values: {
          docker_calls: Number((all.reduce((sum, t) => sum + t.calls, 0) / (items * rounds)).toFixed(2)),
          docker_ms: Math.round(all.reduce((sum, t) => sum + t.ms, 0) / (items * rounds)),
        },
      });
      report.note(`multi_host.docker_calls.${side}`, totals);
    }
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

function mergeTotals(list: CallTotals[]): CallTotals {
  const merged: CallTotals = {};
  for (const totals of list)
    for (const [method, { calls, ms }] of Object.entries(totals)) {
      const entry = (merged[method] ??= { calls: 0, ms: 0 });
      entry.calls += calls;
      entry.ms += ms;
    }
  return merged;
}

function tlsDockerode(engine: { endpoint: string; tls: { ca: string; cert: string; key: string } | null }): Docker {
  const url = new URL(engine.endpoint.replace(/^tcp:/, "https:"));
  return new Docker({ protocol: "https", host: url.hostname, port: Number(url.port), ...engine.tls });
}

function pull(docker: Docker, ref: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.pull(ref, (error: Error | null, stream: NodeJS.ReadableStream) => {
      if (error) return reject(error);
      docker.modem.followProgress(stream, (done: Error | null) => (done ? reject(done) : resolve()));
    });
  });
}
