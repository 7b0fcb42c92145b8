import { ValidationError } from "@/lib/domain/errors";
import { isValidDigest } from "@/lib/domain/image-ref";

import { RegistryResponseError, type RegistryTarget } from "./errors";
import { manifestDigest } from "./manifest";

// Content-addressed reads of the registry client (manifests and blobs by digest). No I/O.

/** A ValidationError unless `digest` is `sha256:` and 64 lowercase hex characters. */
export function requireDigest(digest: string): void {
  if (!isValidDigest(digest)) {
    throw new ValidationError(
      `invalid digest "${String(digest).slice(0, 100)}": expected "sha256:" and 64 lowercase hex characters`,
      {
        digest: ["must be sha256: followed by 64 lowercase hex characters"],
      },
    );
  }
}

/** The JSON of `bytes`, after checking they hash to `digest`: content that does not is never trusted. */
export function parseVerified(bytes: Uint8Array, digest: string, target: RegistryTarget): unknown {
  const actual = manifestDigest(bytes);
  if (actual !== digest)
    throw new RegistryResponseError(target, 200, `the content's sha256 is ${actual}, not the digest asked for`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RegistryResponseError(target, 200, "the content is not valid JSON");
  }
}
