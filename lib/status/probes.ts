import "server-only";

import { type RegistryConfig, registryConfig } from "@/lib/config";
import { getDb, pingDatabase } from "@/lib/db/client";
import { translateDatabaseError } from "@/lib/db/errors";
import { errorMessage } from "@/lib/domain/errors";
import { reportServiceStatus, serviceName } from "@/lib/log/service-health";
import { getDockerClient, type DockerClient } from "@/lib/provisioner/docker/client";
import type { RegistryClient } from "@/lib/provisioner/registry/client";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { withTimeout } from "@/lib/util/with-timeout";

/** The outcome of a health probe: reachable, or a message an operator can act on. */
export type ServiceStatus = { ok: true } | { ok: false; message: string };

/**
 * How long the page banners reuse a probe's answer (lib/util/recent-result.ts): a service that goes
 * down shows its banner at most this much later, and renders stop paying a ping per service each.
 */
export const BANNER_PROBE_TTL_MS = 5_000;

/** Default budget: opening PGlite the first time (and migrating) takes a moment. */
export const DATABASE_PROBE_TIMEOUT_MS = 4_000;

/** Opens the process-wide database if needed and runs `SELECT 1`, within a short timeout. */
export async function probeDatabase(timeoutMs: number = DATABASE_PROBE_TIMEOUT_MS): Promise<ServiceStatus> {
  try {
    await withTimeout(getDb().then(pingDatabase), timeoutMs, "The database");
    return reported(serviceName.database(), { ok: true });
  } catch (error) {
    return reported(serviceName.database(), {
      ok: false,
      message: errorMessage(translateDatabaseError(error, "the configured database")),
    });
  }
}

/** A ping is one local round-trip; 3 s leaves room for a busy host before we call the daemon down. */
export const DOCKER_PROBE_TIMEOUT_MS = 3_000;

/** Pings the Docker daemon Fleetpin is configured for (DOCKER_HOST), within a short timeout. */
export async function probeDocker(
  timeoutMs: number = DOCKER_PROBE_TIMEOUT_MS,
  client?: Pick<DockerClient, "ping" | "endpoint">,
): Promise<ServiceStatus> {
  let service = "Docker";
  try {
    const docker = client ?? getDockerClient();
    service = serviceName.docker(docker.endpoint);
    await withTimeout(docker.ping(), timeoutMs, `Docker at ${docker.endpoint}`);
    return reported(service, { ok: true });
  } catch (error) {
    return reported(service, { ok: false, message: errorMessage(error) });
  }
}

/** Shorter than the client's own request timeout: a banner must not hold the page's stream open. */
export const REGISTRY_PROBE_TIMEOUT_MS = 3_000;

/** Pings the registry that holds the template images (MOLECULE_IMAGE_REGISTRY's host), within a short timeout. */
export async function probeRegistry(
  timeoutMs: number = REGISTRY_PROBE_TIMEOUT_MS,
  registry: RegistryConfig = registryConfig(),
  client?: Pick<RegistryClient, "ping" | "registry">,
): Promise<ServiceStatus> {
  let service = serviceName.registry(registry.imagePrefix);
  try {
    client ??= registryClientForReference(registry.imagePrefix, registry);
    service = serviceName.registry(client.registry);
    await withTimeout(client.ping(), timeoutMs, `The registry ${client.registry}`);
    return reported(service, { ok: true });
  } catch (error) {
    return reported(service, { ok: false, message: errorMessage(error) });
  }
}

/** Logs the probe's result if it starts or ends an outage (once each, not per probe), and returns it. */
function reported(service: string, status: ServiceStatus): ServiceStatus {
  reportServiceStatus(service, status.ok ? { ok: true } : { ok: false, reason: status.message });
  return status;
}
