import "server-only";

import { Counter, Histogram, Registry } from "prom-client";

import { dockerErrorKind } from "./docker-error-kind";

/**
 * The metrics the code counts as it runs (the database ones are read at scrape time, see
 * scrape.ts). Kept on globalThis: Next bundles route handlers and start-up code separately, and
 * every bundle must count into the one registry /metrics reads.
 */
type ProcessMetrics = {
  registry: Registry;
  registryRequests: Counter<"host" | "status">;
  dockerErrors: Counter<"kind">;
  reprovisionSeconds: Histogram<"kind" | "outcome">;
};
type GlobalWithMetrics = typeof globalThis & { __fleetpinMetrics?: ProcessMetrics };

export function processMetrics(): ProcessMetrics {
  const store = globalThis as GlobalWithMetrics;
  store.__fleetpinMetrics ??= create();
  return store.__fleetpinMetrics;
}

/** One HTTP request to a registry (retries each count); `status` undefined = no answer (network error, timeout). */
export function countRegistryRequest(url: string, status: number | undefined): void {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = "invalid";
  }
  processMetrics().registryRequests.inc({ host, status: status === undefined ? "error" : String(status) });
}

/** One failed Docker call, by kind (unreachable, not_found, conflict, server_error, …). */
export function countDockerError(status: number | undefined, code: string | undefined): void {
  processMetrics().dockerErrors.inc({ kind: dockerErrorKind(status, code) });
}

/** How long one provision or reprovision run took, and how it ended. */
export function observeReprovision(kind: string, outcome: "succeeded" | "failed", seconds: number): void {
  processMetrics().reprovisionSeconds.observe({ kind, outcome }, seconds);
}

function create(): ProcessMetrics {
  const registry = new Registry();
  return {
    registry,
    registryRequests: new Counter({
      name: "fleetpin_registry_requests_total",
      help: "HTTP requests to image registries, retries included, by registry host and response status (error = no response).",
      labelNames: ["host", "status"],
      registers: [registry],
    }),
    dockerErrors: new Counter({
      name: "fleetpin_docker_errors_total",
      help: "Failed Docker API calls by kind.",
      labelNames: ["kind"],
      registers: [registry],
    }),
    reprovisionSeconds: new Histogram({
      name: "fleetpin_reprovision_duration_seconds",
      help: "Duration of one workspace provision or reprovision run, from taking its lock to its end.",
      labelNames: ["kind", "outcome"],
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
  };
}
