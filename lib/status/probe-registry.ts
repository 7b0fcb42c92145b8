import "server-only";

import { errorMessage } from "@/lib/errors";
import { registryPrefix } from "@/lib/provisioner/registry";
import type { RegistryClient } from "@/lib/provisioner/registry-client";
import { registryClientForReference } from "@/lib/provisioner/registry-client-for-reference";
import type { ServiceStatus } from "@/lib/status/service-status";
import { withTimeout } from "@/lib/status/with-timeout";

/** Shorter than the client's own request timeout: a banner must not hold the page's stream open. */
export const REGISTRY_PROBE_TIMEOUT_MS = 3_000;

/** Pings the registry that holds the template images (MOLECULE_IMAGE_REGISTRY's host), within a short timeout. */
export async function probeRegistry(
  timeoutMs: number = REGISTRY_PROBE_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = process.env,
  client?: Pick<RegistryClient, "ping" | "registry">,
): Promise<ServiceStatus> {
  try {
    client ??= registryClientForReference(registryPrefix(env), env);
    await withTimeout(client.ping(), timeoutMs, `The registry ${client.registry}`);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}
