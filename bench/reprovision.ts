// Section 3: reprovision throughput on the real dockerd. N workspaces of a
// pinned template are reprovisioned by Fleetpin's bulk operation (enqueue +
// run until terminal) and, in the same run, N equivalent containers by the
// plain-Docker baseline (bench/baseline.ts), at each concurrency level.
//
// 1. The ratio, gate OFF: FLEETPIN_HEALTH_SETTLE_SECONDS=0 and an image without a
//    healthcheck, so the gate is one inspection. `rounds` rounds per level, Fleetpin
//    and the baseline alternating who goes first; ratio = Fleetpin median / baseline
//    median, plus the median of the per-round ratios (each pair ran back to back, so
//    it is less exposed to the load of a shared machine drifting between rounds).
// 2. The gate's own time, from ONE extra gated round per level (settle = config):
//    per item, from the "gating" journal write to the end of the gate's last
//    inspection of the new container (call-recorder.ts) — the wait a workspace
//    really spends in the gate, unaffected by how the other items overlap. The
//    bulk-level cost is also given: gated bulk minus the gate-off median.
// 3. A profile of one more gate-off round of each side at the first level: Docker
//    calls and database statements per item, and the time spent in each.
import { registryConfig } from "@/lib/config";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { promotePin } from "@/lib/db/pins";
import { withDigest } from "@/lib/domain/image-ref";
import { runtimeImage } from "@/lib/domain/runtimes";
import { runOperation } from "@/lib/operations/run-operation";

import { createBaselineFleet } from "./baseline";
import { type CallRecorder, type CallTotals, recordCalls } from "./call-recorder";
import type { BenchConfig } from "./config";
import { BENCH_ACTOR, type DockerBench } from "./docker-bench";
import { countRequests } from "./registry-proxy";
import type { Report } from "./report";
import { reportGate, reportProfile, reportRatio } from "./reprovision-figures";
import { timeOnce } from "./timing";

const TEMPLATE = "hermes";

/** Provisions the fleets, then times Fleetpin and the baseline at every concurrency level. */
export async function measureReprovision(report: Report, bench: DockerBench, config: BenchConfig): Promise<void> {
  const { database, docker, env } = bench;
  const db = database.db;
  const count = config.reprovisionCount;
  const digests = [
    await bench.pushTemplateImage(TEMPLATE, "v1", `${bench.id}-1`),
    await bench.pushTemplateImage(TEMPLATE, "v2", `${bench.id}-2`),
  ];
  const refs = digests.map((digest) => withDigest(runtimeImage(TEMPLATE, registryConfig(env).imagePrefix), digest));
  // Both images in the daemon's cache first: the figure is about recreating containers, not pulls.
  for (const ref of refs) await docker.pullImage(ref, { platform: "" });
  // "Gate off" needs both halves: settle 0 (bench.env) and no healthcheck to wait for.
  for (const ref of refs) {
    if ((await docker.inspectImage(ref))?.inspect.Config?.Healthcheck)
      throw new Error(`${ref} has a healthcheck: the gate-off figure needs an image without one`);
  }
  const gateOn = { ...env, FLEETPIN_HEALTH_SETTLE_SECONDS: String(config.gateSettleSeconds) };

  await promotePin(
    db,
    { templateName: TEMPLATE, digest: digests[0]!, expectedDigest: null, reason: "bench: initial pin" },
    BENCH_ACTOR,
  );
  await bench.provisionWorkspaces(TEMPLATE, count, `bench-${bench.id}`);
  const baseline = await createBaselineFleet(bench.dockerode, {
    prefix: `fleetpin-bench-${bench.id}`,
    count,
    image: refs[0]!,
    env,
  });

  let current = 0;
  // Every Fleetpin round moves the pin to the other image, so all N workspaces are stale again.
  const fleetpinRound = async (concurrency: number, options: BulkOptions = {}): Promise<number> => {
    const target = 1 - current;
    await promotePin(
      db,
      {
        templateName: TEMPLATE,
        digest: digests[target]!,
        expectedDigest: digests[current]!,
        reason: "bench: next round",
      },
      BENCH_ACTOR,
    );
    current = target;
    return (await timeOnce(() => bulkReprovision(bench, concurrency, count, undefined, options))).ms;
  };

  try {
    let round = 0;
    let pinnedRequests: Record<string, number> | undefined;
    for (const concurrency of config.concurrencies) {
      const fleetpin: number[] = [];
      const plain: number[] = [];
      for (let r = 0; r < config.reprovisionRounds; r++) {
        const runFleetpin = async () => {
          bench.proxy.reset();
          fleetpin.push(await fleetpinRound(concurrency));
          pinnedRequests ??= countRequests(bench.proxy.requests());
        };
        // The baseline recreates on the image Fleetpin's last round moved to (or will move to).
        const runBaseline = async (image: string) => {
          plain.push((await timeOnce(() => baseline.replaceAll(image, concurrency))).ms);
        };
        if (round++ % 2 === 0) {
          await runFleetpin();
          await runBaseline(refs[current]!);
        } else {
          await runBaseline(refs[1 - current]!);
          await runFleetpin();
        }
      }
      reportRatio(report, { concurrency, count, fleetpin, baseline: plain });

      const gated = recordCalls(bench.docker, db);
      const gatedMs = await fleetpinRound(concurrency, { env: gateOn, recorder: gated });
      reportGate(report, {
        concurrency,
        count,
        settleSeconds: config.gateSettleSeconds,
        gatedMs,
        gateOffMs: fleetpin,
        items: gated.gateDurations(),
      });

      if (concurrency === config.concurrencies[0]) {
        const profiled = recordCalls(bench.docker, db);
        // This process's CPU too: on a saturated machine it is taken from dockerd and PostgreSQL.
        let cpu = process.cpuUsage();
        const profiledMs = await fleetpinRound(concurrency, { recorder: profiled });
        const fleetpinCpu = process.cpuUsage(cpu);
        reportProfile(report, {
          side: "fleetpin",
          concurrency,
          count,
          ms: profiledMs,
          cpu: fleetpinCpu,
          docker: profiled.dockerTotals(),
          db: profiled.dbTotals(),
        });
        const plainCalls: CallTotals = {};
        cpu = process.cpuUsage();
        const plainMs = (await timeOnce(() => baseline.replaceAll(refs[current]!, concurrency, plainCalls))).ms;
        reportProfile(report, {
          side: "baseline",
          concurrency,
          count,
          ms: plainMs,
          cpu: process.cpuUsage(cpu),
          docker: plainCalls,
          db: {},
        });
      }
    }
    // A pinned template needs no registry at all: the pin is the digest.
    if (pinnedRequests) {
      report.add({
        name: "registry_requests",
        labels: { template: TEMPLATE, pinned: "yes", workspaces: count },
        values: pinnedRequests,
        target: { key: "fleetpin_digest_resolutions", op: "=", limit: 0 },
      });
    }
  } finally {
    await baseline.remove();
  }
}

/** Overrides for one bulk run: another environment (the gate's settle time) and recording clients. */
export type BulkOptions = { env?: NodeJS.ProcessEnv; recorder?: CallRecorder };

/** Fleetpin's bulk path for every stale workspace of the template: enqueue, then run to a terminal status. */
export async function bulkReprovision(
  bench: DockerBench,
  concurrency: number,
  expected: number,
  workspaceIds?: string[],
  options: BulkOptions = {},
): Promise<void> {
  const db = bench.database.db;
  const env = options.env ?? bench.env;
  const input = workspaceIds ? { workspaceIds, concurrency } : { allStale: true, template: TEMPLATE, concurrency };
  const { operationId, total } = await enqueueReprovision(db, { ...input, reason: "bench" }, BENCH_ACTOR, env);
  if (total !== expected) throw new Error(`bulk reprovision enqueued ${total} workspaces, expected ${expected}`);
  // runOperation is what startOperation runs detached; awaiting it gives the exact end without polling.
  const status = await runOperation(operationId, {
    db: options.recorder?.db ?? db,
    docker: options.recorder?.docker ?? bench.docker,
    env,
  });
  if (status !== "succeeded") {
    const progress = await getOperationProgress(db, operationId);
    const errors =
      progress?.items.filter((item) => item.error).map((item) => `${item.workspaceName}: ${item.error}`) ?? [];
    throw new Error(`bulk reprovision ended ${status ?? "unclaimed"}: ${errors.slice(0, 5).join("; ")}`);
  }
}
