import type { Queue } from "pg-boss";

/**
 * Every queue of the job runner, with its policy. Every queue has `notify`: a send wakes its
 * workers at once instead of at their next poll. Queues are created (idempotently) when the
 * runner starts, so a send never races the worker's own creation of a queue with other options.
 * New work (operation items, issue #16) adds its queue here.
 */
export const QUEUES = {
  // One job per due webhook delivery; `exclusive` + singletonKey = delivery id: at most one job
  // queued or running per delivery, however many processes hand the same due row to the runner.
  "webhooks.deliver": {
    policy: "exclusive",
    retryLimit: 0,
    expireInSeconds: 120,
    deleteAfterSeconds: 3600,
    notify: true,
  },
  // One job per operation item (lib/operations/queue). `singleton` + singletonKey = "<host>:<slot>":
  // at most one job active per slot across every process, which is how the per-host limit holds
  // (pg-boss's groupConcurrency did not hold it on PostgreSQL). The heartbeat gives a dead worker's
  // item back within about a supervise interval; retries cover a worker killed more than once.
  "operations.item": {
    policy: "singleton",
    retryLimit: 20,
    retryDelay: 5,
    heartbeatSeconds: 10,
    expireInSeconds: 3600,
    deleteAfterSeconds: 86_400,
    notify: true,
  },
  // One job per sync operation (no items, no slot).
  "operations.sync": {
    policy: "standard",
    retryLimit: 2,
    retryDelay: 5,
    heartbeatSeconds: 10,
    expireInSeconds: 3600,
    deleteAfterSeconds: 86_400,
    notify: true,
  },
  // Used by the runner's own test: a plain queue.
  "jobs.selftest": { policy: "standard", retryLimit: 0, deleteAfterSeconds: 600, notify: true },
} as const satisfies Record<string, Omit<Queue, "name">>;

export type JobName = keyof typeof QUEUES;
