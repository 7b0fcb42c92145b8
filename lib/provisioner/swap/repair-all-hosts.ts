import "server-only";

import { repairConfig, type Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { dockerClientForHost, hostNames } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";

import { runRepairPass } from "./repair-loop";
import type { RepairOutcome } from "./swap-repair";

export interface RepairAllHostsDeps {
  db: Db;
  env?: Env;
  /** dockerClientForHost unless a test injects another. */
  clientFor?: (host: string) => Promise<DockerClient>;
}

/**
 * One repair pass per host, all at once: each host's swaps and stopped containers are repaired
 * on its own engine, and a dead host (its pass fails and logs once) never holds the others back.
 */
export async function runRepairPassAllHosts(deps: RepairAllHostsDeps): Promise<RepairOutcome[]> {
  const clientFor = deps.clientFor ?? ((host: string) => dockerClientForHost(host, { db: deps.db, env: deps.env }));
  const hosts = await hostNames(deps.db);
  const passes = await Promise.all(
    hosts.map(async (host) => {
      let docker: DockerClient;
      try {
        docker = await clientFor(host);
      } catch (error) {
        console.warn(
          JSON.stringify({
            level: "warn",
            source: "swapRepair",
            event: "host_unavailable",
            host,
            error: errorMessage(error),
          }),
        );
        return [];
      }
      return runRepairPass({ db: deps.db, docker, env: deps.env, host });
    }),
  );
  return passes.flat();
}

/** The periodic per-host repair pass of a server process (FLEETPIN_REPAIR_INTERVAL_SECONDS); returns a stop function. */
export function startHostsRepairLoop(deps: { db: () => Promise<Db>; env?: Env }): () => void {
  const everyMs = repairConfig(deps.env).intervalMs;
  if (everyMs === 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await runRepairPassAllHosts({ db: await deps.db(), ...(deps.env ? { env: deps.env } : {}) });
      } catch (error) {
        console.warn(
          JSON.stringify({ level: "warn", source: "swapRepair", event: "pass_failed", error: errorMessage(error) }),
        );
      } finally {
        running = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
