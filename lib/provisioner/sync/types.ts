import type { Db } from "@/lib/db/client";
import type { DockerClient } from "@/lib/provisioner/docker/types";

/** What syncFromDocker needs; `staleLockMs` as for reprovisioning (default 30 min). */
export interface SyncDeps {
  db: Db;
  docker: DockerClient;
  actor: string;
  staleLockMs?: number;
  /**
   * "always" (default): one `workspace.sync` audit row per run, as an operator's sync needs.
   * "changes": only when a row was written, so the periodic reconcile does not fill the log.
   */
  audit?: "always" | "changes";
  /**
   * The registered host `docker` is (lib/provisioner/docker/hosts.ts). When set, only rows on that
   * host are checked for gone containers, and adopted or seen rows record it as their host; when
   * unset (one engine), every row is this engine's, as before hosts existed.
   */
  host?: string;
}

/** A container or row that sync left alone on purpose, and why. */
export interface SyncSkip {
  workspaceId: string | null;
  containerId: string | null;
  containerName: string | null;
  reason: string;
}

/** A container or row sync could not handle; the others were still handled. */
export interface SyncError {
  workspaceId: string | null;
  containerId: string | null;
  containerName: string | null;
  message: string;
}

/** Workspace IDs per outcome, plus what was skipped or failed. */
export interface SyncResult {
  adopted: string[];
  updated: string[];
  missing: string[];
  skipped: SyncSkip[];
  errors: SyncError[];
}
