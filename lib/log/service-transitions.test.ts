import { describe, expect, it } from "vitest";

import { type Observation, serviceTransitions, type Transition } from "./service-transitions";

const up: Observation = { ok: true };
const down = (reason: string): Observation => ({ ok: false, reason });

type Step = [service: string, observation: Observation, now: number, expected: Transition | null];

describe("serviceTransitions", () => {
  it.each<[string, Step[]]>([
    [
      "a healthy service logs nothing",
      [
        ["docker", up, 0, null],
        ["docker", up, 1_000, null],
      ],
    ],
    [
      "an outage logs once when it starts and once when it ends, with how long it lasted",
      [
        ["docker", up, 0, null],
        ["docker", down("connect ENOENT"), 1_000, { service: "docker", kind: "down", reason: "connect ENOENT" }],
        ["docker", down("connect ENOENT"), 2_000, null],
        ["docker", down("timed out"), 3_000, null],
        ["docker", up, 61_000, { service: "docker", kind: "up", downForMs: 60_000 }],
        ["docker", up, 62_000, null],
      ],
    ],
    [
      "a service down from the first probe is reported",
      [["registry", down("ECONNREFUSED"), 5, { service: "registry", kind: "down", reason: "ECONNREFUSED" }]],
    ],
    [
      "a second outage is a new one",
      [
        ["database", down("a"), 0, { service: "database", kind: "down", reason: "a" }],
        ["database", up, 10, { service: "database", kind: "up", downForMs: 10 }],
        ["database", down("b"), 20, { service: "database", kind: "down", reason: "b" }],
        ["database", up, 50, { service: "database", kind: "up", downForMs: 30 }],
      ],
    ],
    [
      "services are tracked apart",
      [
        ["docker", down("x"), 0, { service: "docker", kind: "down", reason: "x" }],
        ["registry", up, 1, null],
        ["registry", down("y"), 2, { service: "registry", kind: "down", reason: "y" }],
        ["docker", up, 3, { service: "docker", kind: "up", downForMs: 3 }],
        ["registry", down("y"), 4, null],
      ],
    ],
    [
      "a clock that went backwards never gives a negative duration",
      [
        ["docker", down("x"), 100, { service: "docker", kind: "down", reason: "x" }],
        ["docker", up, 50, { service: "docker", kind: "up", downForMs: 0 }],
      ],
    ],
  ])("%s", (_name, steps) => {
    const tracker = serviceTransitions();
    for (const [service, observation, now, expected] of steps)
      expect(tracker.observe(service, observation, now)).toEqual(expected);
  });
});
