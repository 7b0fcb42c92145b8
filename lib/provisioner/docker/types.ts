import type {
  ContainerCreateRequest,
  ContainerInspect,
  ImageInspect,
} from "@/lib/provisioner/containers/inspect-types";
import type { MountSpec } from "@/lib/provisioner/containers/workspace-spec";

import type { PullProgress } from "./pull-progress";

export type { ContainerCreateRequest } from "@/lib/provisioner/containers/inspect-types";
export type { MountSpec } from "@/lib/provisioner/containers/workspace-spec";

/**
 * The one typed surface Fleetpin uses to talk to Docker (house rule 12). Implemented over
 * dockerode in docker.ts; a test may wrap it (a fake BESIDE the real daemon) to inject faults.
 * Every method throws DockerUnavailableError when the daemon cannot be reached and
 * DockerOperationError (with the daemon's message) for any other failure.
 */
export interface DockerClient {
  /** Where the client connects, e.g. `unix:///var/run/docker.sock`, for messages. */
  readonly endpoint: string;
  ping(): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** The image, or null when the daemon does not have it. */
  inspectImage(ref: string): Promise<DockerImage | null>;
  /** Pulls `ref`; rejects on an error reported inside the stream as well as on a failed request. */
  pullImage(ref: string, options?: PullImageOptions): Promise<PullResult>;
  /** Creates the container and connects its extra networks; a failed connect removes it again. */
  createContainer(request: ContainerCreateRequest): Promise<{ id: string }>;
  startContainer(id: string): Promise<void>;
  /** Stops the container; "already stopped" counts as success. */
  stopContainer(id: string, options?: { timeoutSeconds?: number }): Promise<void>;
  /** Removes the container, never its volumes; "no such container" and "removal already in progress" count as success. */
  removeContainer(id: string, options?: { force?: boolean; volumes?: false }): Promise<void>;
  renameContainer(id: string, newName: string): Promise<void>;
  /** The last `tail` lines the container wrote (stdout and stderr interleaved), "" when it has none. */
  containerLogs(id: string, options?: { tail?: number }): Promise<string>;
  /** The container by name or ID, or null when there is none. */
  inspectContainer(nameOrId: string): Promise<DockerContainer | null>;
  /** Every container (running or not) labelled `molecule.platform.managed=true`. */
  listManagedContainers(): Promise<DockerContainerSummary[]>;
  /** Creates a named local volume; an existing volume of that name is kept as it is. */
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  volumeExists(name: string): Promise<boolean>;
  /**
   * Follows `GET /events` with these filters, calling `onEvent` for each event and `onConnected`
   * once the daemon accepted the request, until the stream ends (resolves) or `signal` aborts
   * (resolves). Rejects when the daemon cannot be reached or the stream breaks.
   */
  streamEvents(
    filters: import("./event-types").DockerEventFilters,
    onEvent: (event: import("./event-types").DockerEvent) => void,
    signal: AbortSignal,
    onConnected?: () => void,
  ): Promise<void>;
}

/** What `inspectImage` returns. */
export interface DockerImage {
  /** The image ID (config digest), `sha256:…`. */
  id: string;
  /** `<registry>/<repository>@sha256:<manifest digest>` for every name it was pulled under. */
  repoDigests: string[];
  repoTags: string[];
  /** The image's default environment (`KEY=value`). */
  env: string[];
  os: string;
  architecture: string;
  /** The raw inspect, whose Config holds the image's defaults (what a clone leaves to the image). */
  inspect: ImageInspect;
}

/** Docker's State.Status values. */
export type ContainerStatus = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

/** What `inspectContainer` returns. */
export interface DockerContainer {
  id: string;
  /** Without Docker's leading `/`. */
  name: string;
  /** `Config.Image`: the reference exactly as the container was created with it. */
  image: string;
  /** The image ID the container runs (`sha256:…`). */
  imageId: string;
  labels: Record<string, string>;
  env: string[];
  status: ContainerStatus;
  running: boolean;
  exitCode: number;
  /** The daemon's State.Error, "" when none. */
  error: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  restartPolicy: string;
  networkMode: string;
  mounts: MountSpec[];
  /** How often Docker restarted it under its restart policy. */
  restartCount: number;
  /** Docker's health status (`starting`, `healthy`, `unhealthy`), null without a healthcheck. */
  health: string | null;
  /** The raw inspect: what a clone is made from. */
  inspect: ContainerInspect;
}

/** What `listManagedContainers` returns per container. */
export interface DockerContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  /** Human status, e.g. "Up 3 minutes". */
  statusText: string;
}

/** Options of `pullImage`. */
export interface PullImageOptions {
  /** `os/arch` to pull; "" or undefined lets the daemon choose. */
  platform?: string;
  onProgress?: (progress: PullProgress) => void;
}

/** What `pullImage` returns. */
export interface PullResult {
  ref: string;
  /** The manifest digest the daemon reported, when it reported one. */
  digest: string | null;
  /** True when nothing had to be downloaded. */
  upToDate: boolean;
}
