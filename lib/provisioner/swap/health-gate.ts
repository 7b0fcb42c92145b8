import "server-only";

import type { HealthGateConfig } from "@/lib/config";
import { DockerOperationError, errorMessage } from "@/lib/domain/errors";
import { lastLines } from "@/lib/provisioner/docker/logs";
import type { DockerClient, DockerContainer } from "@/lib/provisioner/docker/types";

/** How long the gate waits (FLEETPIN_HEALTH_TIMEOUT_SECONDS, FLEETPIN_HEALTH_SETTLE_SECONDS; lib/config). */
export type HealthGateSettings = HealthGateConfig;

export { DEFAULT_HEALTH_SETTLE_SECONDS, DEFAULT_HEALTH_TIMEOUT_SECONDS } from "@/lib/config";
const LOG_LINES = 20;
// Short enough to see a crashing container between its exit and its restart-policy restart.
const POLL_MS = 250;

/** A new container that did not pass the gate: why, its exit code and its last log lines. */
export class HealthGateError extends DockerOperationError {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly logLines: string[],
  ) {
    super(logLines.length > 0 ? `${message}; last log lines: ${logLines.join(" | ")}` : message);
    this.name = "HealthGateError";
  }
}

/** Test seams: the clock and the pause between inspections. */
export interface HealthGateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: HealthGateClock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Waits until a just-started container has proven itself before the old one is let go:
 * `healthy` when it has a healthcheck (an `unhealthy` verdict fails at once), otherwise still
 * running after the settle time with no restart in between (same StartedAt and RestartCount,
 * since a restart policy would hide a crash behind a fresh start). Resolves with the last
 * inspection; rejects with HealthGateError carrying the exit code and the last log lines.
 */
export async function passHealthGate(
  docker: DockerClient,
  containerId: string,
  settings: HealthGateSettings,
  clock: HealthGateClock = realClock,
): Promise<DockerContainer> {
  const first = await docker.inspectContainer(containerId);
  if (!first)
    throw new HealthGateError(
      `the new container ${containerId.slice(0, 12)} disappeared right after it was started`,
      null,
      [],
    );
  const waitForHealthy = first.health !== null && settings.timeoutSeconds > 0;
  const waitSeconds = waitForHealthy ? settings.timeoutSeconds : settings.settleSeconds;
  const deadline = clock.now() + waitSeconds * 1000;

  for (let current: DockerContainer | null = first; ; current = await docker.inspectContainer(containerId)) {
    if (!current)
      throw new HealthGateError(
        `the new container ${containerId.slice(0, 12)} was removed while it was being checked`,
        null,
        [],
      );
    const failure = gateFailure(first, current, waitForHealthy);
    if (failure) throw await withLogs(docker, current, failure);
    if (waitForHealthy && current.health === "healthy") return current;
    if (clock.now() >= deadline) {
      if (!waitForHealthy) return current;
      throw await withLogs(
        docker,
        current,
        `it did not become healthy within ${waitSeconds} s (health: ${current.health ?? "none"})`,
      );
    }
    await clock.sleep(POLL_MS);
  }
}

function gateFailure(first: DockerContainer, current: DockerContainer, waitForHealthy: boolean): string | null {
  const restarted = current.restartCount !== first.restartCount || current.startedAt !== first.startedAt;
  const why = current.error ? `: ${current.error}` : "";
  // A restart-policy restart resets ExitCode to 0, so only a stopped container's code is reported.
  if (!current.running) return `it is ${current.status} right after start (exit code ${current.exitCode})${why}`;
  if (restarted)
    return `it exited and was restarted by its restart policy (restart count ${first.restartCount} → ${current.restartCount})${why}`;
  if (waitForHealthy && current.health === "unhealthy") return "its healthcheck reports unhealthy";
  return null;
}

async function withLogs(docker: DockerClient, container: DockerContainer, why: string): Promise<HealthGateError> {
  let lines: string[];
  try {
    lines = lastLines(await docker.containerLogs(container.id, { tail: LOG_LINES }), LOG_LINES);
  } catch (error) {
    lines = [`(logs unavailable: ${errorMessage(error)})`];
  }
  const exitCode = container.running ? null : container.exitCode;
  return new HealthGateError(`new container ${container.name} failed its health gate: ${why}`, exitCode, lines);
}
