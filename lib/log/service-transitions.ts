/**
 * Which observations of a service's health are worth a log line: the first failure of an outage
 * and the first success after it, not every probe in between (a dashboard polling a stopped
 * Docker every few seconds would otherwise fill the log with one error per probe). Pure: the
 * caller passes the clock; service-health.ts logs what this returns.
 */

/** One probe's result: reachable, or why not. */
export type Observation = { ok: true } | { ok: false; reason: string };

/** A change worth logging: the service went down (with the first reason), or came back (after how long). */
export type Transition =
  { service: string; kind: "down"; reason: string } | { service: string; kind: "up"; downForMs: number };

export interface ServiceTransitions {
  /** Records `observation` of `service` at `now` (ms); the transition it makes, or null when nothing changed. */
  observe(service: string, observation: Observation, now: number): Transition | null;
}

/**
 * A tracker of many services, each known up until observed down. Services never seen down log
 * nothing when they answer, so a healthy start is silent.
 */
export function serviceTransitions(): ServiceTransitions {
  const downSince = new Map<string, number>();
  return {
    observe(service, observation, now) {
      const since = downSince.get(service);
      if (!observation.ok) {
        if (since !== undefined) return null;
        downSince.set(service, now);
        return { service, kind: "down", reason: observation.reason };
      }
      if (since === undefined) return null;
      downSince.delete(service);
      return { service, kind: "up", downForMs: Math.max(0, now - since) };
    },
  };
}
