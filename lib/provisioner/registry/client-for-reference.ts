import "server-only";

import { createHash } from "node:crypto";

import { type RegistryConfig, registryConfig } from "@/lib/config";

import { createRegistryClient, type RegistryClient } from "./client";
import { registryCredentials, registryScheme, splitRegistryReference } from "./http";

const memo = new Map<string, RegistryClient>();

/**
 * The shared client for the registry named by an image reference or registry prefix
 * (`127.0.0.1:5000/molecule-ai` → `127.0.0.1:5000`): plain HTTP for loopback and
 * FLEETPIN_INSECURE_REGISTRIES, credentials from the env (registryCredentials), one instance per
 * host + credentials so every caller shares its token cache.
 */
export function registryClientForReference(
  imageRefOrPrefix: string,
  registry: RegistryConfig = registryConfig(),
): RegistryClient {
  const { host } = splitRegistryReference(imageRefOrPrefix);
  const scheme = registryScheme(host, registry.insecureRegistries);
  const credentials = registryCredentials(host, registry);
  const secret = credentials ? createHash("sha256").update(credentials.password).digest("hex") : "";
  const key = [scheme, host, credentials?.username ?? "", secret].join("\0");
  let client = memo.get(key);
  if (!client) {
    client = createRegistryClient({ host, scheme, ...(credentials ? { credentials } : {}) });
    memo.set(key, client);
  }
  return client;
}
