import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { digestsWithoutMetadata, storeDigestMetadata, storeDigestMetadataError } from "@/lib/db/ledger/digest-metadata";
import { errorMessage } from "@/lib/domain/errors";
import { imagePlatform } from "@/lib/provisioner/images/platform";
import { RegistryAuthError, RegistryResponseError, RegistryUnreachableError } from "@/lib/provisioner/registry/errors";

import { fetchDigestMetadata } from "./fetch-metadata";
import type { TemplateRegistry } from "./template-registry";

/**
 * Fetches and stores the metadata of a template's ledger rows that have none yet (a digest the
 * watcher, a push event, a promote or a running container brought in). Each digest's manifest and
 * config are read once: a permanent failure is stored on the row and not retried; a passing one
 * (unreachable, 429, 5xx) is left for the next run. Returns the first passing failure, if any.
 */
export async function fillMissingMetadata(
  db: Db,
  templateName: string,
  where: TemplateRegistry,
  env: Env | undefined,
): Promise<string | null> {
  const platform = imagePlatform(env) || null;
  for (const digest of await digestsWithoutMetadata(db, templateName)) {
    try {
      const metadata = await fetchDigestMetadata(where.client, where.repository, digest, platform);
      await storeDigestMetadata(db, templateName, digest, metadata);
    } catch (error) {
      if (isPassing(error)) return `metadata of ${digest}: ${errorMessage(error)}`;
      await storeDigestMetadataError(db, templateName, digest, errorMessage(error));
    }
  }
  return null;
}

/** A failure that may not happen next time: worth asking again, unlike a missing or malformed manifest. */
export function isPassing(error: unknown): boolean {
  if (error instanceof RegistryUnreachableError || error instanceof RegistryAuthError) return true;
  return error instanceof RegistryResponseError && (error.status === 429 || error.status >= 500);
}
