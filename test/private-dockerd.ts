// A dockerd of a test's own, started at once, for tests that kill the engine by PID mid-run (the
// shared test dockerd is never killed: other files use it). The engine of test/host-dockerd.ts
// under the names the browser journeys and the dockerd-kill test use.
import { tmpdir } from "node:os";
import path from "node:path";

import { createHostDockerd } from "./host-dockerd";

export interface PrivateDockerd {
  /** `unix://…` for DOCKER_HOST / createDockerClient({ dockerHost }). */
  host: string;
  pid(): number;
  /** SIGKILL, the way a crash or an OOM kill ends it; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data root (its containers come back as dockerd decides). */
  start(): Promise<void>;
  /** Stops it and removes everything it had. */
  destroy(): Promise<void>;
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
  const engine = await createHostDockerd({ prefix: path.join(tmpdir(), "fpd-") });
  await engine.start();
  return {
    host: engine.unixHost,
    pid: () => engine.pid() ?? -1,
    kill: () => engine.kill(),
    start: () => engine.start(),
    destroy: () => engine.dispose(),
  };
}
