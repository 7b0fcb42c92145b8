import { isValidDigest } from "@/lib/domain/image-ref";

import { RegistryResponseError, type RegistryTarget } from "./errors";
import { isSchema1Manifest, MAX_MANIFEST_BYTES, manifestDigest } from "./manifest";
import { discard, readBytes } from "./response";

/**
 * The digest of a 200 manifest response, computed from its bytes as `docker pull` records it:
 * a schema1-only registry cannot be pinned, and a Docker-Content-Digest that disagrees with the
 * bytes is refused rather than trusted.
 */
export async function digestOfManifestResponse(response: Response, target: RegistryTarget): Promise<string> {
  if (isSchema1Manifest(response.headers.get("content-type"))) {
    await discard(response);
    throw new RegistryResponseError(
      target,
      200,
      "the registry only offers a schema1 manifest, which cannot be pinned by digest",
    );
  }
  const bytes = await readBytes(response, target, MAX_MANIFEST_BYTES);
  const digest = manifestDigest(bytes);
  const claimed = response.headers.get("docker-content-digest");
  if (isValidDigest(claimed) && claimed !== digest) {
    throw new RegistryResponseError(
      target,
      200,
      `Docker-Content-Digest ${claimed} does not match the manifest bytes (${digest})`,
    );
  }
  return digest;
}
