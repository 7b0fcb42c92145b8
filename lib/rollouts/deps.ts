import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { startQueuedOperation } from "@/lib/operations/queue/queue-operation";
import { dockerClientForHost } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";

/** What the rollout engine uses; everything defaults to the real thing. Tests inject the operation runner. */
export type RolloutDeps = {
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
  /** The Docker client of a host by name; dockerClientForHost unless a test injects another. */
  dockerForHost?: (host: string) => Promise<DockerClient>;
  /** Hands a recorded reprovision operation to whatever runs operations (the job queue by default). */
  startOperation?: (operationId: string) => void;
  /** GET `url` and return its status code (the bake's HTTP probe); fetch with a timeout by default. */
  httpStatus?: (url: string) => Promise<number>;
};

export function hostClients(db: Db, deps: RolloutDeps): (host: string) => Promise<DockerClient> {
  const cache = new Map<string, Promise<DockerClient>>();
  const open =
    deps.dockerForHost ?? ((host: string) => dockerClientForHost(host, { db, ...(deps.env ? { env: deps.env } : {}) }));
  return (host) => {
    let client = cache.get(host);
    if (!client) {
      client = open(host);
      cache.set(host, client);
    }
    return client;
  };
}

export function startOperationOf(deps: RolloutDeps): (operationId: string) => void {
  return deps.startOperation ?? startQueuedOperation;
}

const PROBE_TIMEOUT_MS = 3_000;

export async function defaultHttpStatus(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: "manual" });
  await response.body?.cancel();
  return response.status;
}
