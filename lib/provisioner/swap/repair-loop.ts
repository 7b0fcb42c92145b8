import "server-only";

import { type Env, repairConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { reportServiceStatus, serviceName } from "@/lib/log/service-health";
import type { DockerClient } from "@/lib/provisioner/docker/types";

import { restartStoppedWorkspaces } from "./stopped-repair";
import { repairPendingSwaps, type RepairOutcome } from "./swap-repair";

/** Runs one repair pass and logs what it did; never throws (a failed pass is retried by the next). */
export async function runRepairPass(deps: {
  db: Db;
  docker: DockerClient;
  env?: Env;
  host?: string;
}): Promise<RepairOutcome[]> {
  // Per engine (host name, or endpoint), so one dead host's outage never hides another's.
  const engine = deps.host ?? deps.docker.endpoint;
  try {
    // Swaps first: a container a swap stopped on purpose is the swap's to put back, not a stray.
    const outcomes = [...(await repairPendingSwaps(deps)), ...(await restartStoppedWorkspaces(deps))];
    reportServiceStatus(serviceName.docker(engine), { ok: true });
    for (const outcome of outcomes) {
      if (outcome.result === "skipped") continue;
      const level = outcome.result === "failed" ? "warn" : "info";
      getLogger({ source: "swapRepair", workspaceId: outcome.workspaceId })[level](
        { event: `repair_${outcome.result}` },
        outcome.detail,
      );
    }
    return outcomes;
  } catch (error) {
    // A dashboard without a reachable engine (the quick start on a bare machine) says so once per outage, not every pass.
    if (error instanceof DockerUnavailableError) {
      reportServiceStatus(serviceName.docker(engine), { ok: false, reason: errorMessage(error) });
    } else {
      passFailed(error);
    }
    return [];
  }
}

function passFailed(error: unknown): void {
  getLogger({ source: "swapRepair" }).warn({ event: "pass_failed", error: errorMessage(error) }, "repair pass failed");
}

/**
 * The periodic repair pass of a server process: one pass every interval, never two at once in
 * this process (two processes may overlap safely: see repairPendingSwaps). Returns a stop function.
 */
export function startRepairLoop(deps: { db: () => Promise<Db>; docker: () => DockerClient; env?: Env }): () => void {
  // FLEETPIN_REPAIR_INTERVAL_SECONDS; 0 turns the periodic pass off (start-up still runs one).
  return startPeriodicPass(repairConfig(deps.env).intervalMs, async () =>
    runRepairPass({ db: await deps.db(), docker: deps.docker(), ...(deps.env ? { env: deps.env } : {}) }),
  );
}

/** Runs `pass` every `everyMs` (0: never), skipping a tick while the last pass still runs; a failed pass is logged. */
export function startPeriodicPass(everyMs: number, pass: () => Promise<unknown>): () => void {
  if (everyMs === 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pass()
      .catch(passFailed)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
