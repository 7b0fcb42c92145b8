/**
 * The process-wide record of which services (the database, each Docker engine, each registry) are
 * down, shared by everyone who finds out (page probes, live state, the repair loop), so an outage
 * is logged once when it starts (error, with the reason) and once when it ends (info, with how
 * long it lasted), however many probes and reconnects happen in between.
 */
import { getLogger } from "./logger";
import { type Observation, serviceTransitions, type ServiceTransitions, type Transition } from "./service-transitions";

type GlobalWithHealth = typeof globalThis & { __fleetpinServiceHealth?: ServiceTransitions };

function tracker(): ServiceTransitions {
  const store = globalThis as GlobalWithHealth;
  return (store.__fleetpinServiceHealth ??= serviceTransitions());
}

/**
 * Records one observation of `service` (a name read in the log, e.g. "Docker at unix:///var/run/docker.sock")
 * and logs it if it starts or ends an outage. Returns the transition, if any.
 */
export function reportServiceStatus(
  service: string,
  observation: Observation,
  now: number = Date.now(),
): Transition | null {
  const transition = tracker().observe(service, observation, now);
  if (!transition) return null;
  const log = getLogger({ source: "health", service });
  if (transition.kind === "down")
    log.error({ event: "service_down", reason: transition.reason }, `${service} is down: ${transition.reason}`);
  else
    log.info(
      { event: "service_up", downForMs: transition.downForMs },
      `${service} is back after ${formatDuration(transition.downForMs)}`,
    );
  return transition;
}

/** The names services are logged under, so every observer of one service uses the same key. */
export const serviceName = {
  database: () => "the database",
  docker: (endpoint: string) => `Docker at ${endpoint}`,
  registry: (host: string) => `the registry ${host}`,
};

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
