// Section 3: reprovision throughput on the real dockerd. N workspaces of a
// pinned template are reprovisioned by Fleetpin's bulk operation (enqueue +
// run until terminal) and, in the same run, N equivalent containers by the
// plain-Docker baseline, at each concurrency level; the ratio is
// Fleetpin / baseline. Fleetpin and the baseline alternate who goes first.
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { promotePin } from "@/lib/db/pins";
import { runOperation } from "@/lib/provisioner/bulk";
import { withDigest } from "@/lib/provisioner/image-ref";
import { runtimeImage } from "@/lib/provisioner/registry";
import { createBaselineFleet } from "./baseline";
import type { BenchConfig } from "./config";
import { BENCH_ACTOR, type DockerBench } from "./docker-bench";
import { countRequests } from "./registry-proxy";
import { stats, type Report } from "./report";
import { timeOnce } from "./timing";

// Issue #7: "ratio ≤ 1.2 at equal concurrency".
const RATIO_TARGET = 1.2;
const TEMPLATE = "hermes";

/** Provisions the fleets, then times Fleetpin and the baseline at every concurrency level. */
export async function measureReprovision(report: Report, bench: DockerBench, config: BenchConfig): Promise<void> {
  const { database, docker, env } = bench;
  const db = database.db;
  const count = config.reprovisionCount;
  const digests = [await bench.pushTemplateImage(TEMPLATE, "v1", `${bench.id}-1`), await bench.pushTemplateImage(TEMPLATE, "v2", `${bench.id}-2`)];
  const refs = digests.map((digest) => withDigest(runtimeImage(TEMPLATE, env), digest));
  // Both images in the daemon's cache first: the figure is about recreating containers, not pulls.
  for (const ref of refs) await docker.pullImage(ref, { platform: "" });

  await promotePin(db, { templateName: TEMPLATE, digest: digests[0]!, expectedDigest: null, reason: "bench: initial pin" }, BENCH_ACTOR);
  await bench.provisionWorkspaces(TEMPLATE, count, `bench-${bench.id}`);
  const baseline = await createBaselineFleet(bench.dockerode, { prefix: `fleetpin-bench-${bench.id}`, count, image: refs[0]!, env });

  try {
    let current = 0;
    let round = 0;
    let pinnedRequests: Record<string, number> | undefined;
    for (const concurrency of config.concurrencies) {
      const fleetpin: number[] = [];
      const plain: number[] = [];
      for (let r = 0; r < config.reprovisionRounds; r++) {
        const target = 1 - current;
        const runFleetpin = async () => {
          await promotePin(db, { templateName: TEMPLATE, digest: digests[target]!, expectedDigest: digests[current]!, reason: "bench: next round" }, BENCH_ACTOR);
          bench.proxy.reset();
          fleetpin.push((await timeOnce(() => bulkReprovision(bench, concurrency, count))).ms);
          pinnedRequests ??= countRequests(bench.proxy.requests());
        };
        const runBaseline = async () => {
          plain.push((await timeOnce(() => baseline.replaceAll(refs[target]!, concurrency))).ms);
        };
        if (round++ % 2 === 0) {
          await runFleetpin();
          await runBaseline();
        } else {
          await runBaseline();
          await runFleetpin();
        }
        current = target;
      }
      const f = stats(fleetpin).median;
      const b = stats(plain).median;
      report.add({
        name: "reprovision_ms",
        labels: { concurrency, workspaces: count, rounds: config.reprovisionRounds },
        values: {
          fleetpin_median: f,
          baseline_median: b,
          fleetpin_per_s: (count / f) * 1000,
          baseline_per_s: (count / b) * 1000,
          ratio: f / b,
        },
        target: { key: "ratio", op: "<=", limit: RATIO_TARGET },
        samples: [...fleetpin, ...plain],
      });
      report.note(`reprovision.samples.c${concurrency}`, { fleetpin, baseline: plain });
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

/** Fleetpin's bulk path for every stale workspace of the template: enqueue, then run to a terminal status. */
export async function bulkReprovision(bench: DockerBench, concurrency: number, expected: number, workspaceIds?: string[]): Promise<void> {
  const db = bench.database.db;
  const input = workspaceIds ? { workspaceIds, concurrency } : { allStale: true, template: TEMPLATE, concurrency };
  const { operationId, total } = await enqueueReprovision(db, { ...input, reason: "bench" }, BENCH_ACTOR, bench.env);
  if (total !== expected) throw new Error(`bulk reprovision enqueued ${total} workspaces, expected ${expected}`);
  // runOperation is what startOperation runs detached; awaiting it gives the exact end without polling.
  const status = await runOperation(operationId, { db, docker: bench.docker, env: bench.env });
  if (status !== "succeeded") {
    const progress = await getOperationProgress(db, operationId);
    const errors = progress?.items.filter((item) => item.error).map((item) => `${item.workspaceName}: ${item.error}`) ?? [];
    throw new Error(`bulk reprovision ended ${status ?? "unclaimed"}: ${errors.slice(0, 5).join("; ")}`);
  }
}
