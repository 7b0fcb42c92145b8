import "server-only";

import { runtimeImageRepository, type EnvSource } from "@/lib/domain/runtimes";
import type { RegistryClient } from "@/lib/provisioner/registry/client";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { splitRegistryReference } from "@/lib/provisioner/registry/http";

/** Where a template's images live: the shared registry client and the repository path in it. */
export type TemplateRegistry = { client: RegistryClient; repository: string };

/** Picks the client for a reference; tests and the bench pass their own. */
export type RegistryClientFactory = (reference: string, env: EnvSource) => RegistryClient;

/** The template's repository (`<MOLECULE_IMAGE_REGISTRY>/workspace-template-<name>`) and the one client for its registry. */
export function templateRegistry(templateName: string, env: EnvSource, factory: RegistryClientFactory = registryClientForReference): TemplateRegistry {
  const reference = runtimeImageRepository(templateName, env);
  return { client: factory(reference, env), repository: splitRegistryReference(reference).repository };
}
