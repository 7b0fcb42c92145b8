import "server-only";

import { PgBoss, fromPglite, type Job, type SendOptions, type WorkOptions } from "pg-boss";

import { workersConfig } from "@/lib/config";
import { getDatabase, type Database } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";

import { jobLog } from "./job-log";
import { QUEUES, type JobName } from "./queues";

/**
 * The product's one job runner: pg-boss over the database Fleetpin already uses. On PostgreSQL it
 * has its own small pool on DATABASE_URL; on the embedded PGlite it runs in this process over the
 * instance the app opened (pg-boss's PGlite executor; PGlite serializes its statements with
 * Prisma's, so transactions never interleave). Its tables live in the `pgboss` schema, which
 * pg-boss creates and migrates itself on start.
 *
 * Never call sendJob inside a db.$transaction on PGlite: the single connection is held by the
 * transaction, so the send would wait for it forever.
 */

type Runner = { boss: PgBoss; database: Database };
type GlobalWithJobs = typeof globalThis & { __fleetpinJobs?: Promise<Runner> };
const store = globalThis as GlobalWithJobs;

export type JobHandler<T> = (job: Job<T>) => Promise<void>;
export type SendJobOptions = Pick<SendOptions, "singletonKey" | "startAfter" | "id" | "priority">;
export type WorkJobsOptions = Pick<
  WorkOptions,
  "localConcurrency" | "pollingIntervalSeconds" | "notifyPollingIntervalSeconds" | "batchSize"
>;

/** Starts the runner once per process (later calls share it). `database` defaults to the process database. */
export function startJobs(database?: Database): Promise<void> {
  if (!store.__fleetpinJobs) {
    const starting = start(database);
    store.__fleetpinJobs = starting;
    starting.catch(() => {
      if (store.__fleetpinJobs === starting) store.__fleetpinJobs = undefined;
    });
  }
  return store.__fleetpinJobs.then(() => undefined);
}

/** Queues a job; resolves with its id, or null when the queue's policy dropped it as a duplicate. */
export async function sendJob(name: JobName, data: object, options: SendJobOptions = {}): Promise<string | null> {
  const { boss } = await running();
  return boss.send(name, data, options);
}

/**
 * Queues many jobs of one queue in one statement (one NOTIFY); jobs whose id is already there are
 * skipped. Resolves with the number queued.
 */
export async function sendJobs(
  name: JobName,
  jobs: readonly { data: object; id: string; singletonKey?: string }[],
): Promise<number> {
  if (jobs.length === 0) return 0;
  const { boss } = await running();
  return (await boss.insert(name, [...jobs], { returnId: true }))?.length ?? 0;
}

/**
 * Runs `handler` for each job of `name` in this process. A handler that throws fails the attempt
 * (pg-boss retries it as the queue says); the runner logs it.
 */
export async function workJobs<T extends object>(
  name: JobName,
  handler: JobHandler<T>,
  options: WorkJobsOptions = {},
): Promise<void> {
  const { boss } = await running();
  const settings = { batchSize: 1, notifyPollingIntervalSeconds: NOTIFY_BACKSTOP_SECONDS, ...options };
  await boss.work<T>(name, settings, async (jobs) => {
    try {
      for (const job of jobs) {
        try {
          await handler(job);
        } catch (error) {
          jobLog("error", "jobs", { event: "job_failed", queue: name, jobId: job.id, error: errorMessage(error) });
          throw error;
        }
      }
    } finally {
      fetchAgainAtOnce(boss, name);
    }
  });
}

/**
 * How long an idle worker waits before it looks for jobs again while NOTIFY is up: a send wakes it
 * at once, so this only bounds how late it sees a job nobody sent just now (a retry's delay, a
 * `startAfter`, a job the supervisor took back from a dead worker).
 */
const NOTIFY_BACKSTOP_SECONDS = 5;

/**
 * After a job, pg-boss waits out the polling interval when the job took less than it, even with
 * more jobs waiting (NOTIFY comes only with a send, not when a singleton slot frees): with the slow
 * backstop above a queue of quick jobs would run one per interval per worker. Waking the workers
 * that are holding jobs (this one among them) makes each fetch again right after its completion;
 * idle workers are left asleep, since a freed slot's next job is taken by the worker that freed it.
 */
function fetchAgainAtOnce(boss: PgBoss, name: JobName): void {
  for (const worker of boss.getWipData()) {
    if (worker.name === name && worker.count > 0) boss.notifyWorker(worker.id);
  }
}

/**
 * An identity of the running runner (undefined when none): a loop that adds workers later compares
 * it with the one it started under, so it stops once that runner was stopped, even if another started.
 */
export function currentRunner(): object | undefined {
  return store.__fleetpinJobs;
}

/** The state pg-boss has for a job (`created`, `retry`, `active`, `completed`, …), or null when it has none. */
export async function jobState(name: JobName, id: string): Promise<string | null> {
  const { boss } = await running();
  return (await boss.getJobById(name, id))?.state ?? null;
}

/**
 * True while `attempt` (a job as the handler got it: id + retryCount) is still this worker's: the
 * job is `active` and on the same attempt. False once pg-boss took it back (its heartbeat lapsed and
 * the supervisor failed or retried it, or an operator cancelled it), so another worker may be
 * running it, or the next job of its singleton slot, right now.
 */
export async function stillClaimed(name: JobName, attempt: { id: string; retryCount: number }): Promise<boolean> {
  const { boss } = await running();
  const job = await boss.getJobById(name, attempt.id);
  return job?.state === "active" && job.retryCount === attempt.retryCount;
}

/** Jobs of `name` still waiting to run (created or retry) whose data contains `data`, with their singletonKey. */
export async function queuedJobs(name: JobName, data: object): Promise<{ id: string; singletonKey: string | null }[]> {
  const { boss } = await running();
  const jobs = await boss.findJobs(name, { data, queued: true });
  return jobs.map((job) => ({ id: job.id, singletonKey: job.singletonKey }));
}

/** Cancels jobs of `name` that have not ended (a running one's handler sees its claim gone). */
export async function cancelJobs(name: JobName, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const { boss } = await running();
  await boss.cancel(name, ids);
}

/** Stops workers (waiting up to 10 s for running handlers) and forgets the runner, so startJobs can start it again. */
export async function stopJobs(): Promise<void> {
  const runner = store.__fleetpinJobs;
  store.__fleetpinJobs = undefined;
  if (!runner) return;
  const { boss } = await runner.catch(() => ({ boss: undefined }));
  await boss?.stop({ graceful: true, timeout: 10_000, close: true });
}

async function running(): Promise<Runner> {
  if (!store.__fleetpinJobs) throw new Error("the job runner is not started (startJobs is called at server start-up)");
  return store.__fleetpinJobs;
}

async function start(given?: Database): Promise<Runner> {
  const database = given ?? (await getDatabase());
  // How often pg-boss looks for jobs whose worker stopped heart-beating (FLEETPIN_JOBS_SUPERVISE_SECONDS, default 60).
  const supervise = workersConfig().jobsSuperviseSeconds;
  const common = {
    schedule: false,
    openTelemetry: { enabled: false },
    application_name: "fleetpin-jobs",
    superviseIntervalSeconds: supervise,
    monitorIntervalSeconds: supervise,
    // A sent job wakes the workers of its queue at once (LISTEN/NOTIFY; in-process on PGlite), so
    // their idle polling can be slow. Polling stays as the backstop (see workJobs' intervals).
    useListenNotify: true,
  } as const;
  let boss: PgBoss;
  if (database.config.kind === "pglite") {
    if (!database.pglite) throw new Error("the embedded database has no PGlite instance to run jobs on");
    boss = new PgBoss({ ...common, db: fromPglite(database.pglite), backend: "pglite" });
  } else {
    // One connection is the listener's; the rest serve fetches, heartbeats and claim checks of up to
    // every host's slots at once.
    boss = new PgBoss({ ...common, connectionString: database.config.url, max: 8 });
  }
  boss.on("error", (error: unknown) => jobLog("error", "jobs", { event: "runner_error", error: errorMessage(error) }));
  await boss.start();
  for (const [name, options] of Object.entries(QUEUES)) {
    const queue = await boss.getQueue(name);
    if (!queue) await boss.createQueue(name, options);
    // Queues created before they asked for NOTIFY get it (the policy itself cannot change in place).
    else if (!queue.notify) await boss.updateQueue(name, { notify: true });
  }
  return { boss, database };
}
