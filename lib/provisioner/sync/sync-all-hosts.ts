import "server-only";

import type { Db } from "@/lib/db/client";
import { errorMessage } from "@/lib/domain/errors";
import { hostNames } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";

import { syncFromDocker } from "./sync";
import type { SyncDeps, SyncResult } from "./types";

export interface SyncAllHostsDeps {
  db: Db;
  actor: string;
  clientFor: (host: string) => Promise<DockerClient>;
  sync?: (deps: SyncDeps) => Promise<SyncResult>;
  /** Default: every registered host (or `local` alone before any is registered). */
  hosts?: string[];
  audit?: SyncDeps["audit"];
}

/**
 * Syncs every host at once, each against its own rows (SyncDeps.host), and merges the results.
 * A host that cannot be reached or read becomes one error naming it; the others are synced all
 * the same and never wait for it. When no host could be synced at all, the first failure is thrown.
 */
export async function syncAllHosts(deps: SyncAllHostsDeps): Promise<SyncResult> {
  const hosts = deps.hosts ?? (await hostNames(deps.db));
  const merged: SyncResult = { adopted: [], updated: [], missing: [], skipped: [], errors: [] };
  const hostFailures: unknown[] = [];
  const results = await Promise.all(
    hosts.map(async (host) => {
      try {
        const docker = await deps.clientFor(host);
        return await (deps.sync ?? syncFromDocker)({ db: deps.db, docker, actor: deps.actor, host, audit: deps.audit });
      } catch (error) {
        hostFailures.push(error);
        const message = errorMessage(error);
        const failed: SyncResult = { adopted: [], updated: [], missing: [], skipped: [], errors: [] };
        failed.errors.push({
          workspaceId: null,
          containerId: null,
          containerName: null,
          message: message.includes(`"${host}"`) ? message : `Docker host "${host}": ${message}`,
        });
        return failed;
      }
    }),
  );
  // Nothing could be read at all: the sync itself failed, as it did with one engine.
  if (hosts.length > 0 && hostFailures.length === hosts.length) throw hostFailures[0];
  for (const result of results) {
    merged.adopted.push(...result.adopted);
    merged.updated.push(...result.updated);
    merged.missing.push(...result.missing);
    merged.skipped.push(...result.skipped);
    merged.errors.push(...result.errors);
  }
  return merged;
}
