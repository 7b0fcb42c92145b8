import type { RegistryAuth } from "./auth";
import { RegistryError, UnknownManifestError, UnknownRepositoryError } from "./errors";
import { discard } from "./response";

/** The token scope of pulling from a repository. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

// HEAD has no body, and distribution answers MANIFEST_UNKNOWN for a tag of an unknown
// repository too; only the tag list tells the two apart (NAME_UNKNOWN).
export async function unknownTag(
  auth: RegistryAuth,
  base: string,
  registry: string,
  repository: string,
  tag: string,
): Promise<RegistryError> {
  const target = { registry, repository, reference: tag };
  try {
    const url = `${base}/v2/${repository}/tags/list`;
    const response = await auth.send({
      method: "GET",
      url,
      accept: "application/json",
      scope: pullScope(repository),
      target,
    });
    await discard(response);
    if (response.status === 404) return new UnknownRepositoryError(target);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
  }
  return new UnknownManifestError(target);
}
