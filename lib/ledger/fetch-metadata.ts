import "server-only";

import type { DigestMetadata } from "@/lib/db/ledger/digest-metadata";
import type { RegistryClient } from "@/lib/provisioner/registry/client";

import { indexPlatforms, parseConfig, parseManifest, pickIndexChild } from "./image-metadata";

/**
 * Reads what the ledger keeps about a digest: GET its manifest, and its config blob (for an index,
 * the config of the child for `platform`, else the first runnable child). Two requests for an image
 * manifest, three for an index; the caller stores the result once.
 */
export async function fetchDigestMetadata(
  client: RegistryClient,
  repository: string,
  digest: string,
  platform: string | null,
): Promise<DigestMetadata> {
  const top = await client.getManifest(repository, digest);
  const parsed = parseManifest(top.json, top.contentType);
  if (parsed.kind === "index") {
    const child = pickIndexChild(parsed.children, platform);
    const platforms = indexPlatforms(parsed.children);
    if (child === null)
      return { mediaType: parsed.mediaType, platforms, configCreated: null, labels: noLabels(), compressedSize: null };
    const childManifest = await client.getManifest(repository, child.digest);
    const image = parseManifest(childManifest.json, childManifest.contentType);
    if (image.kind !== "image") throw new Error(`the index's child ${child.digest} is itself an index`);
    const config = parseConfig(await client.getBlobJson(repository, image.configDigest));
    return {
      mediaType: parsed.mediaType,
      platforms,
      configCreated: config.created,
      labels: config.labels,
      compressedSize: image.compressedSize,
    };
  }
  const config = parseConfig(await client.getBlobJson(repository, parsed.configDigest));
  return {
    mediaType: parsed.mediaType,
    platforms: config.platform ? [config.platform] : [],
    configCreated: config.created,
    labels: config.labels,
    compressedSize: parsed.compressedSize,
  };
}

function noLabels(): DigestMetadata["labels"] {
  return { revision: null, source: null, version: null, created: null };
}
