import "server-only";

import { repairConfig, type Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { dockerClientForHost, hostNames } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";

import { runRepairPass, startPeriodicPass } from "./repair-loop";
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
        getLogger({ source: "swapRepair" }).warn(
          { event: "host_unavailable", host, error: errorMessage(error) },
          "repair: host unavailable",
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
  return startPeriodicPass(repairConfig(deps.env).intervalMs, async () =>
    runRepairPassAllHosts({ db: await deps.db(), ...(deps.env ? { env: deps.env } : {}) }),
  );
}
