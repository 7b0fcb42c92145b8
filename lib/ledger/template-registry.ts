import "server-only";

import { registryConfig, type Env, type RegistryConfig } from "@/lib/config";
import { runtimeImageRepository } from "@/lib/domain/runtimes";
import type { RegistryClient } from "@/lib/provisioner/registry/client";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { splitRegistryReference } from "@/lib/provisioner/registry/http";

/** Where a template's images live: the shared registry client and the repository path in it. */
export type TemplateRegistry = { client: RegistryClient; repository: string };

/** Picks the client for a reference; tests and the bench pass their own. */
export type RegistryClientFactory = (reference: string, registry: RegistryConfig) => RegistryClient;

/** The template's repository (`<MOLECULE_IMAGE_REGISTRY>/workspace-template-<name>`) and the one client for its registry. */
export function templateRegistry(
  templateName: string,
  env: Env | undefined,
  factory: RegistryClientFactory = registryClientForReference,
): TemplateRegistry {
  const registry = registryConfig(env);
  const reference = runtimeImageRepository(templateName, registry.imagePrefix);
  return { client: factory(reference, registry), repository: splitRegistryReference(reference).repository };
}
