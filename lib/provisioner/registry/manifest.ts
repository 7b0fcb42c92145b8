import { createHash } from "node:crypto";

/** All four manifest types: without them a registry may answer schema1, whose digest differs. */
export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

/** The most bytes read from one registry response: distribution's own manifest size limit. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const SCHEMA1 = /application\/vnd\.docker\.distribution\.manifest\.v1\+(?:prettyjws|json)/;

/** True for a schema1 manifest's Content-Type: a manifest that cannot be pinned by digest. */
export function isSchema1Manifest(contentType: string | null): boolean {
  return SCHEMA1.test(contentType ?? "");
}

/** The digest of a manifest (`sha256:…`): the sha256 of its exact bytes, as `docker pull` records it. */
export function manifestDigest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
