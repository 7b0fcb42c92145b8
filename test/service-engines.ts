// The test services' extra engines (scripts/services/start.sh): a second dockerd on a unix socket
// and a third on tcp://127.0.0.1 with TLS client certificates. Tests that need several engines but
// never stop one use these instead of starting their own (a dockerd takes seconds of the 2 cores);
// never stop or kill them: other files use them at the same time. Env: FLEETPIN_TEST_DOCKER_HOST_2,
// FLEETPIN_TEST_DOCKER_HOST_3 (+ _UNIX for setup) and FLEETPIN_TEST_DOCKER_TLS_{CA,CERT,KEY}.
import { readFileSync } from "node:fs";

import Docker from "dockerode";

export interface ServiceEngine {
  /** `unix:///…`, for test setup (dockerode, the CLI). */
  unixHost: string;
  /** What to register as the host's endpoint. */
  endpoint: string;
  /** Client PEM material for the TLS engine, null for the unix one. */
  tls: { ca: string; cert: string; key: string } | null;
  dockerode(): Docker;
}

const VARIABLES = [
  "FLEETPIN_TEST_DOCKER_HOST_2",
  "FLEETPIN_TEST_DOCKER_HOST_3",
  "FLEETPIN_TEST_DOCKER_HOST_3_UNIX",
  "FLEETPIN_TEST_DOCKER_TLS_CA",
  "FLEETPIN_TEST_DOCKER_TLS_CERT",
  "FLEETPIN_TEST_DOCKER_TLS_KEY",
] as const;

/** True when the services' extra engines are configured; under FLEETPIN_REQUIRE_SERVICES=1 a missing one throws. */
export function serviceEnginesAvailable(): boolean {
  const missing = VARIABLES.filter((name) => !process.env[name]);
  // Read here rather than from test/databases.ts, so browser journeys can import this file too.
  if (missing.length > 0 && process.env.FLEETPIN_REQUIRE_SERVICES === "1") {
    throw new Error(
      `${missing.join(", ")} not set: start the services with scripts/services/start.sh (it starts three dockerds) and load its env`,
    );
  }
  return missing.length === 0;
}

/** The unix-socket engine (2) or the TLS one (3). */
export function serviceEngine(which: 2 | 3): ServiceEngine {
  const env = process.env;
  const unixHost = which === 2 ? env.FLEETPIN_TEST_DOCKER_HOST_2! : env.FLEETPIN_TEST_DOCKER_HOST_3_UNIX!;
  const read = (name: (typeof VARIABLES)[number]) => readFileSync(env[name]!, "utf8");
  return {
    unixHost,
    endpoint: which === 2 ? unixHost : env.FLEETPIN_TEST_DOCKER_HOST_3!,
    tls:
      which === 3
        ? {
            ca: read("FLEETPIN_TEST_DOCKER_TLS_CA"),
            cert: read("FLEETPIN_TEST_DOCKER_TLS_CERT"),
            key: read("FLEETPIN_TEST_DOCKER_TLS_KEY"),
          }
        : null,
    dockerode: () => new Docker({ socketPath: unixHost.slice("unix://".length) }),
  };
}
