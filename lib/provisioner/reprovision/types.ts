import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { PullProgress } from "@/lib/provisioner/docker/pull-progress";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import type { SwapPhase } from "@/lib/provisioner/swap/container-swap";
import type { HealthGateSettings } from "@/lib/provisioner/swap/health-gate";

import type { ImageResolver } from "./image-resolver";

/** What (re)provisioning needs; `resolver` is shared across a bulk run so it lands on one digest per template. */
export interface ReprovisionDeps {
  db: Db;
  docker: DockerClient;
  /** Who asked (the signed-in user's email), for the audit row. */
  actor: string;
  resolver?: ImageResolver;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
  /** The operation item this run belongs to; it becomes the lock holder (`workspaces.locked_by`). */
  operationItemId?: string | bigint;
  reason?: string | null;
  onProgress?: (event: ReprovisionProgress) => void;
  /** Seconds the old container gets to stop before SIGKILL (default FLEETPIN_STOP_TIMEOUT_SECONDS or 10). */
  stopTimeoutSeconds?: number;
  /** A lock whose heartbeat is older than this is taken over (default FLEETPIN_LOCK_STALE_SECONDS or 2 min). */
  staleLockMs?: number;
  /** The health gate; default from FLEETPIN_HEALTH_TIMEOUT_SECONDS / FLEETPIN_HEALTH_SETTLE_SECONDS. */
  gate?: HealthGateSettings;
  /**
   * Awaited after the pull, just before the old container is touched; a rejection ends the run
   * there with the workspace as it was (lock released, status back, no failure recorded) and is
   * rethrown. A queue job uses it to check it still holds its host slot.
   */
  beforeSwap?: () => Promise<void>;
}

/** Steps of a run in order: pulling always ends before stopping starts. */
export type ReprovisionPhase = "locked" | "resolving" | "pulling" | SwapPhase | "recording";

/** One step of a run, for operation logs and progress bars; `pull` is set while pulling. */
export interface ReprovisionProgress {
  workspaceId: string;
  phase: ReprovisionPhase;
  image?: string;
  pull?: PullProgress;
}

/** What a successful run did. `fromDigest` is null when the old digest was never known. */
export interface ReprovisionResult {
  workspaceId: string;
  image: string;
  fromDigest: string | null;
  toDigest: string | null;
  containerId: string;
  containerName: string;
}

export type Kind = "provision" | "reprovision";
