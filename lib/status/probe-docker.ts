import "server-only";

import { errorMessage } from "@/lib/errors";
import { getDockerClient, type DockerClient } from "@/lib/provisioner/docker";
import type { ServiceStatus } from "@/lib/status/service-status";
import { withTimeout } from "@/lib/status/with-timeout";

/** A ping is one local round-trip; 3 s leaves room for a busy host before we call the daemon down. */
export const DOCKER_PROBE_TIMEOUT_MS = 3_000;

/** Pings the Docker daemon Fleetpin is configured for (DOCKER_HOST), within a short timeout. */
export async function probeDocker(
  timeoutMs: number = DOCKER_PROBE_TIMEOUT_MS,
  client?: Pick<DockerClient, "ping" | "endpoint">,
): Promise<ServiceStatus> {
  try {
    const docker = client ?? getDockerClient();
    await withTimeout(docker.ping(), timeoutMs, `Docker at ${docker.endpoint}`);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}
