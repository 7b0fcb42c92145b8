// Queue overhead per item (issue #16): the same operation of N items run by the in-process runner
// (runOperation) and through the job queue (one pg-boss job per item, worked in this process),
// with a reprovision that does nothing, so the difference is what the queue itself costs per
// item: sending the job, fetching it, its slot, the per-item start/finish statements and the
// completion. Docker is left out on purpose: its time is the same either way.
import { setTimeout as sleep } from "node:timers/promises";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { startJobs, stopJobs } from "@/lib/jobs/runner";
import { queueOperation } from "@/lib/operations/queue/queue-operation";
import { workOperationQueues } from "@/lib/operations/queue/work-operations";
import { runOperation, type ReprovisionWorker } from "@/lib/operations/run-operation";

import type { BenchConfig } from "./config";
import { openBenchDatabase, type BenchDatabase } from "./databases";
import { stats, type Report } from "./report";

const DIGEST_NOW = `sha256:${"1".repeat(64)}`;
const DIGEST_PIN = `sha256:${"2".repeat(64)}`;
const CONCURRENCY = 4;

const noop: ReprovisionWorker = async (workspaceId) => ({
  workspaceId,
  image: `bench/workspace-template-hermes@${DIGEST_PIN}`,
  fromDigest: DIGEST_NOW,
  toDigest: DIGEST_PIN,
  containerId: "bench",
  containerName: "bench",
});

export async function measureQueueOverhead(report: Report, config: BenchConfig): Promise<void> {
  const items = config.smoke ? 10 : 200;
  const rounds = config.smoke ? 1 : 3;
  for (const backend of config.backends) {
    const database = await openBenchDatabase(backend);
    try {
      await seed(database, items);
      const inProcess: number[] = [];
      let idleCpu = 0;
      const queued: number[] = [];
      for (let round = 0; round < rounds; round++)
        inProcess.push(
          (await timeOne(
            database,
            () => (id) => runOperation(id, { db: database.db, reprovision: noop }).then(() => undefined),
          )) / items,
        );
      await startJobs(database);
      try {
        await workOperationQueues({
          db: database.db,
          reprovision: noop,
          env: { FLEETPIN_HOST_CONCURRENCY: String(CONCURRENCY) },
        });
        for (let round = 0; round < rounds; round++) {
          queued.push(
            (await timeOne(database, () => async (id) => {
              await queueOperation(id, { db: database.db, env: { FLEETPIN_HOST_CONCURRENCY: String(CONCURRENCY) } });
              await untilFinished(database, id);
            })) / items,
          );
        }
        idleCpu = await idleCpuPerSecond(config.smoke ? 2_000 : 15_000);
      } finally {
        await stopJobs();
      }
      const a = stats(inProcess);
      const b = stats(queued);
      report.add({
        name: "queue_overhead_ms",
        labels: { backend, items, rounds, concurrency: CONCURRENCY, per: "item" },
        values: { in_process_median: a.median, queue_median: b.median, overhead_median: b.median - a.median },
        samples: [...inProcess, ...queued],
      });
      // What the workers cost while there is nothing to do (this process's CPU; on PGlite that includes the database).
      report.add({
        name: "queue_idle_cpu",
        labels: { backend, item_workers: CONCURRENCY, per: "second" },
        values: { process_cpu_ms: Number(idleCpu.toFixed(1)) },
      });
    } finally {
      await database.close();
    }
  }
}

async function seed(database: BenchDatabase, items: number): Promise<void> {
  await database.db
    .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${DIGEST_PIN})`;
  await database.db.$executeRaw`
    INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
    SELECT 'queue-bench-' || g, 'hermes', ${DIGEST_NOW}, 'online' FROM generate_series(1, ${items}) g`;
}

/** Enqueues every stale workspace (the noop run leaves them stale) and times `run` to the operation's end. */
async function timeOne(database: BenchDatabase, make: () => (operationId: string) => Promise<void>): Promise<number> {
  const { operationId } = await enqueueReprovision(database.db, { allStale: true, concurrency: CONCURRENCY }, "bench");
  const started = performance.now();
  await make()(operationId);
  return performance.now() - started;
}

async function untilFinished(database: BenchDatabase, operationId: string): Promise<void> {
  for (;;) {
    const row = await database.db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { status: true } });
    if (row.status !== "queued" && row.status !== "running") return;
    await sleep(10);
  }
}

/** This process's CPU (user + system) per second of wall time over `ms`, with nothing queued. */
async function idleCpuPerSecond(ms: number): Promise<number> {
  await sleep(1_000); // let the last run's completions settle first
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / ((performance.now() - started) / 1000);
}
