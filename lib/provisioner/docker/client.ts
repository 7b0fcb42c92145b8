import "server-only";

import Docker from "dockerode";

import { DockerOperationError, DockerUnavailableError, errorMessage, type FleetpinError } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { LABEL_MANAGED } from "@/lib/provisioner/containers/naming";

import { dockerConnection, type DockerClientOptions } from "./connection";
import { dockerStatusCode, daemonMessage, translateDockerError } from "./error-translation";
import { isRemovalInProgress } from "./errors";
import { toContainerSummary, toDockerContainer, toDockerImage } from "./inspect-mapping";
import { demuxLogs } from "./logs";
import { PullProgressTracker } from "./pull-progress";
import type {
  ContainerCreateRequest,
  DockerClient,
  DockerContainer,
  DockerContainerSummary,
  DockerImage,
  PullImageOptions,
  PullResult,
} from "./types";

export type * from "./types";
export { DEFAULT_DOCKER_SOCKET, dockerConnection, type DockerClientOptions } from "./connection";

/** A dockerode-backed DockerClient. Cheap to create; it opens a connection per request. */
export function createDockerClient(options: DockerClientOptions = {}): DockerClient {
  const { endpoint, modem } = dockerConnection(options);
  let docker: Docker;
  try {
    docker = new Docker(modem);
  } catch (error) {
    // docker-modem parses process.env.DOCKER_HOST itself and throws on a malformed value.
    throw new DockerUnavailableError(`Docker is not reachable at ${endpoint}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return new DockerodeClient(docker, endpoint);
}

type GlobalWithDocker = typeof globalThis & { __fleetpinDocker?: DockerClient };

/** The process-wide client for DOCKER_HOST, created on first use. */
export function getDockerClient(): DockerClient {
  const store = globalThis as GlobalWithDocker;
  store.__fleetpinDocker ??= createDockerClient();
  return store.__fleetpinDocker;
}

class DockerodeClient implements DockerClient {
  constructor(
    private readonly docker: Docker,
    readonly endpoint: string,
  ) {}

  async ping(): Promise<void> {
    await this.call("ping the Docker daemon", () => this.docker.ping());
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== null;
  }

  async inspectImage(ref: string): Promise<DockerImage | null> {
    const info = await this.call(`inspect image ${ref}`, () => this.docker.getImage(ref).inspect(), [404]);
    if (info === null) return null;
    return toDockerImage(info);
  }

  async pullImage(ref: string, options: PullImageOptions = {}): Promise<PullResult> {
    const action = `pull ${ref}`;
    const tracker = new PullProgressTracker(ref);
    const pullOptions = options.platform ? { platform: options.platform } : {};
    // Errors before the stream starts (404 manifest unknown, registry unreachable) reject here.
    const stream = await this.call(action, () => this.docker.pull(ref, pullOptions));
    try {
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (error: unknown) => (error ? reject(error) : resolve()),
          (event: unknown) => {
            const progress = tracker.push(event as Parameters<PullProgressTracker["push"]>[0]);
            try {
              options.onProgress?.(progress);
            } catch (callbackError) {
              // A broken progress listener must not abort (or hide) the pull itself.
              log("warn", `${action}: progress listener threw`, callbackError);
            }
          },
        );
      });
    } catch (error) {
      throw this.fail(action, error);
    }
    // G9: followProgress resolves even when the stream carried {"error": …}.
    const failure = tracker.failure();
    if (failure !== null) throw this.fail(action, new DockerOperationError(`${action} failed: ${failure}`));
    if (!tracker.completed()) {
      throw this.fail(
        action,
        new DockerOperationError(`${action} failed: the stream ended before the daemon reported completion`),
      );
    }
    return { ref, digest: tracker.digest(), upToDate: tracker.upToDate() };
  }

  async createContainer(request: ContainerCreateRequest): Promise<{ id: string }> {
    const action = `create container ${request.name} from ${request.body.Image}`;
    const container = await this.call(action, () =>
      this.docker.createContainer({
        ...request.body,
        name: request.name,
        ...(request.platform ? { platform: request.platform } : {}),
      } as Docker.ContainerCreateOptions),
    );
    try {
      // The Engine API before 1.44 takes one network in the create call; the rest are connected before start.
      for (const network of request.extraNetworks) {
        await this.call(`connect ${request.name} to network ${network.name}`, () =>
          this.docker
            .getNetwork(network.name)
            .connect({ Container: container.id, EndpointConfig: network.endpoint as Docker.EndpointSettings }),
        );
      }
    } catch (error) {
      await this.removeContainer(container.id, { force: true }).catch(() => undefined);
      throw error;
    }
    return { id: container.id };
  }

  async startContainer(id: string): Promise<void> {
    // 304: already running, which is what the caller wanted.
    await this.call(`start container ${id}`, () => this.docker.getContainer(id).start(), [304]);
  }

  async stopContainer(id: string, options: { timeoutSeconds?: number } = {}): Promise<void> {
    const t = options.timeoutSeconds ?? 10;
    await this.call(`stop container ${id}`, () => this.docker.getContainer(id).stop({ t }), [304]);
  }

  async removeContainer(id: string, options: { force?: boolean; volumes?: false } = {}): Promise<void> {
    const action = `remove container ${id}`;
    try {
      // v: false — the workspace data volume must outlive every container that mounts it.
      await this.docker.getContainer(id).remove({ force: options.force ?? false, v: false });
    } catch (error) {
      if (dockerStatusCode(error) === 404) return;
      if (dockerStatusCode(error) !== undefined && isRemovalInProgress(daemonMessage(error))) return;
      throw this.fail(action, error);
    }
  }

  async renameContainer(id: string, newName: string): Promise<void> {
    await this.call(`rename container ${id} to ${newName}`, () =>
      this.docker.getContainer(id).rename({ name: newName }),
    );
  }

  async containerLogs(id: string, options: { tail?: number } = {}): Promise<string> {
    const output = await this.call(`read the logs of container ${id}`, () =>
      this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail: options.tail ?? 20 }),
    );
    return demuxLogs(output as unknown as Buffer);
  }

  async inspectContainer(nameOrId: string): Promise<DockerContainer | null> {
    const info = await this.call(
      `inspect container ${nameOrId}`,
      () => this.docker.getContainer(nameOrId).inspect(),
      [404],
    );
    if (info === null) return null;
    return toDockerContainer(info);
  }

  async listManagedContainers(): Promise<DockerContainerSummary[]> {
    const list = await this.call("list managed containers", () =>
      this.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } }),
    );
    return list.map(toContainerSummary);
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    // The daemon answers 201 with the existing volume when the name is taken, so this is idempotent.
    await this.call(`create volume ${name}`, () =>
      this.docker.createVolume({ Name: name, Driver: "local", Labels: labels }),
    );
  }

  async volumeExists(name: string): Promise<boolean> {
    const info = await this.call(`inspect volume ${name}`, () => this.docker.getVolume(name).inspect(), [404]);
    return info !== null;
  }

  /**
   * Runs one dockerode call. Status codes in `benign` resolve to null instead of throwing
   * (404 for "does it exist" questions, 304 for "already in that state"); anything else is
   * translated, logged and rethrown.
   */
  private async call<T>(action: string, work: () => Promise<T>): Promise<T>;
  private async call<T>(action: string, work: () => Promise<T>, benign: number[]): Promise<T | null>;
  private async call<T>(action: string, work: () => Promise<T>, benign: number[] = []): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      const status = dockerStatusCode(error);
      if (status !== undefined && benign.includes(status)) return null;
      throw this.fail(action, error);
    }
  }

  private fail(action: string, error: unknown): FleetpinError {
    const translated = translateDockerError(error, action, this.endpoint);
    // An unreachable engine is logged once per outage by whoever watches it (lib/log/service-health.ts), not per call.
    log(translated instanceof DockerUnavailableError ? "debug" : "error", translated.message, error);
    return translated;
  }

  // Lives in docker-events.ts (imported here, at the end, to keep this file's other parts untouched).
  streamEvents: DockerClient["streamEvents"] = async (...args) =>
    (await import("./events")).streamDockerEvents(this.docker, this.endpoint, ...args);
}

function log(level: "debug" | "warn" | "error", message: string, error: unknown): void {
  getLogger({ source: "docker" })[level]({ error: errorMessage(error) }, message);
}
