import "server-only";

import { readFileSync } from "node:fs";
import path from "node:path";

import type Docker from "dockerode";

import { type DockerConfig, dockerConfig, type Env } from "@/lib/config";
import { DockerUnavailableError } from "@/lib/domain/errors";

/** The socket used when neither the options nor DOCKER_HOST name one. */
export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** Where to find the daemon; by default DOCKER_HOST as lib/config reads it (from `env` when given), else the default socket. */
export interface DockerClientOptions {
  /** A socket path; wins over everything else. */
  socketPath?: string;
  /** A DOCKER_HOST-style value: `unix:///path`, `tcp://host:port`, `http(s)://host:port`. */
  dockerHost?: string;
  env?: Env;
  /**
   * TLS client material in PEM (a registered host's, see lib/hosts): with a tcp:// host it means
   * https with these, verified against `ca`, as `docker --tlsverify` does; DOCKER_CERT_PATH is then not read.
   */
  tls?: { ca: string; cert: string; key: string } | null;
}

/** Parses the connection options into dockerode's, plus a printable endpoint. */
export function dockerConnection(options: DockerClientOptions): { endpoint: string; modem: Docker.DockerOptions } {
  const docker: DockerConfig = dockerConfig(options.env);
  // Every key is set explicitly: docker-modem merges our options over its own reading of
  // process.env.DOCKER_HOST, which must not leak in when we were told otherwise.
  const unix = (socketPath: string) => ({
    endpoint: `unix://${socketPath}`,
    modem: { socketPath, host: undefined, port: undefined, protocol: undefined } as Docker.DockerOptions,
  });
  if (options.socketPath) return unix(options.socketPath);
  const host = (options.dockerHost ?? docker.host ?? "").trim();
  if (host === "") return unix(DEFAULT_DOCKER_SOCKET);
  if (host.startsWith("unix://")) return unix(host.slice("unix://".length) || DEFAULT_DOCKER_SOCKET);

  const withScheme = host.includes("://") ? host : `tcp://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new DockerUnavailableError(`Docker is not reachable at ${host}: DOCKER_HOST is not a valid address`);
  }
  if (!["tcp:", "http:", "https:"].includes(url.protocol)) {
    throw new DockerUnavailableError(
      `Docker is not reachable at ${host}: only unix://, tcp:// and http(s):// DOCKER_HOST values are supported`,
    );
  }
  const tls = Boolean(options.tls) || url.protocol === "https:" || docker.tlsVerify || url.port === "2376";
  const port = url.port || (tls ? "2376" : "2375");
  const modem: Docker.DockerOptions = {
    socketPath: undefined,
    host: url.hostname,
    port,
    protocol: tls ? "https" : "http",
  };
  const { certPath } = docker;
  if (options.tls) {
    Object.assign(modem, { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key });
  } else if (tls && certPath) {
    const read = (name: string) => readFileSync(path.join(certPath, name));
    Object.assign(modem, { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") });
  }
  return { endpoint: `${tls ? "https" : "tcp"}://${url.hostname}:${port}`, modem };
}
