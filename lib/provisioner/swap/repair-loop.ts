import "server-only";

import type { Db } from "@/lib/db/client";
import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import type { EnvSource } from "@/lib/domain/runtimes";
import { restartStoppedWorkspaces } from "./stopped-repair";
import { repairPendingSwaps, type RepairOutcome } from "./swap-repair";

export const DEFAULT_REPAIR_INTERVAL_SECONDS = 30;

/** FLEETPIN_REPAIR_INTERVAL_SECONDS (default 30); 0 turns the periodic pass off (start-up still runs one). */
export function repairIntervalMs(env: EnvSource): number {
  const seconds = Number((env.FLEETPIN_REPAIR_INTERVAL_SECONDS ?? "").trim() || Number.NaN);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_REPAIR_INTERVAL_SECONDS) * 1000;
}

/** Runs one repair pass and logs what it did; never throws (a failed pass is retried by the next). */
export async function runRepairPass(deps: { db: Db; docker: DockerClient; env?: EnvSource; host?: string }): Promise<RepairOutcome[]> {
  const engine = deps.host ?? deps.docker.endpoint;
  try {
    // Swaps first: a container a swap stopped on purpose is the swap's to put back, not a stray.
    const outcomes = [...(await repairPendingSwaps(deps)), ...(await restartStoppedWorkspaces(deps))];
    enginesDown.delete(engine);
    for (const outcome of outcomes) {
      if (outcome.result === "skipped") continue;
      const level = outcome.result === "failed" ? "warn" : "info";
      console[level](JSON.stringify({ level, source: "swapRepair", event: `repair_${outcome.result}`, workspaceId: outcome.workspaceId, detail: outcome.detail }));
    }
    return outcomes;
  } catch (error) {
    // A dashboard without a reachable engine (the quick start on a bare machine) says so once, not every pass.
    if (error instanceof DockerUnavailableError) {
      if (!enginesDown.has(engine)) console.warn(JSON.stringify({ level: "warn", source: "swapRepair", event: "engine_unreachable", host: deps.host, error: errorMessage(error) }));
      enginesDown.add(engine);
    } else {
      console.warn(JSON.stringify({ level: "warn", source: "swapRepair", event: "pass_failed", error: errorMessage(error) }));
    }
    return [];
  }
}

// Per engine (host name, or endpoint), so one dead host's warning never hides another's.
const enginesDown = new Set<string>();

/**
 * The periodic repair pass of a server process: one pass every interval, never two at once in
 * this process (two processes may overlap safely: see repairPendingSwaps). Returns a stop function.
 */
export function startRepairLoop(deps: { db: () => Promise<Db>; docker: () => DockerClient; env?: EnvSource }): () => void {
  const everyMs = repairIntervalMs(deps.env ?? process.env);
  if (everyMs === 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await runRepairPass({ db: await deps.db(), docker: deps.docker(), ...(deps.env ? { env: deps.env } : {}) });
      } catch (error) {
        console.warn(JSON.stringify({ level: "warn", source: "swapRepair", event: "pass_failed", error: errorMessage(error) }));
      } finally {
        running = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
