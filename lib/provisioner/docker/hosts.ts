import "server-only";

import { createHash } from "node:crypto";

import { dockerConfig, type Env } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";
import {
  ensureLocalHost,
  hostConnection,
  listHostConnections,
  listHosts,
  type HostConnection,
  type HostView,
} from "@/lib/hosts/hosts";
import { LOCAL_HOST_NAME } from "@/lib/schemas/host";
import { withTimeout } from "@/lib/util/with-timeout";

import { createDockerClient, getDockerClient } from "./client";
import { dockerConnection } from "./connection";
import type { DockerClient } from "./types";

/**
 * The one host registry: a DockerClient per registered engine. A host is identified by its
 * registered endpoint, never by what the engine says about itself: engines started from one
 * image (or one VM template) report the same engine ID and hostname.
 */

export interface HostClientDeps {
  db?: Db;
  env?: Env;
}

type GlobalWithHosts = typeof globalThis & { __fleetpinHostClients?: Map<string, DockerClient> };

// One client per endpoint + TLS material: an edit of a host (new endpoint or certificates) gets a
// new client, and every caller asking for an unchanged host shares one.
function clientCache(): Map<string, DockerClient> {
  const store = globalThis as GlobalWithHosts;
  store.__fleetpinHostClients ??= new Map();
  return store.__fleetpinHostClients;
}

/**
 * The client of the host called `name`. `local` that is not registered (yet) is DOCKER_HOST (or
 * the default socket), so a fresh install and older rows keep working; any other unknown name,
 * or TLS material that cannot be opened, is a DockerUnavailableError naming the host.
 */
export async function dockerClientForHost(name: string, deps: HostClientDeps = {}): Promise<DockerClient> {
  const env = deps.env;
  const db = deps.db ?? (await getDb());
  let connection: HostConnection | null;
  try {
    connection = await hostConnection(db, name, env);
  } catch (error) {
    throw new DockerUnavailableError(
      `Docker host "${name}": its TLS material cannot be opened (${errorMessage(error)})`,
      { cause: error },
    );
  }
  if (!connection) {
    if (name === LOCAL_HOST_NAME) return deps.env ? createDockerClient({ env }) : getDockerClient();
    throw new DockerUnavailableError(`Docker host "${name}" is not registered`);
  }
  return clientForConnection(connection, env);
}

/** The cached client for a host's connection (exported for callers that already read the row). */
export function clientForConnection(
  connection: Pick<HostConnection, "name" | "endpoint" | "tls">,
  env?: Env,
): DockerClient {
  const fingerprint = connection.tls
    ? createHash("sha256").update(`${connection.tls.ca}\0${connection.tls.cert}\0${connection.tls.key}`).digest("hex")
    : "";
  const key = `${connection.endpoint}\0${fingerprint}`;
  const cache = clientCache();
  let client = cache.get(key);
  if (!client) {
    // Only `local` reads the DOCKER_* variables (DOCKER_CERT_PATH, DOCKER_TLS_VERIFY): they describe DOCKER_HOST, no other engine.
    client = createDockerClient({
      dockerHost: connection.endpoint,
      tls: connection.tls,
      env: connection.name === LOCAL_HOST_NAME ? env : {},
    });
    cache.set(key, client);
  }
  return client;
}

/** DOCKER_HOST (or the default socket) as a registrable endpoint: `unix://…` or `tcp://host:port`. */
export function localEndpoint(env?: Env): string {
  return dockerConnection({ env }).endpoint.replace(/^https?:\/\//, "tcp://");
}

/**
 * Start-up: registers `local` when DOCKER_HOST is configured, or when the default socket answers
 * (a machine without Docker gets no host it cannot use). An existing `local` row is left as edited.
 */
export async function registerLocalHost(
  db: Db,
  env?: Env,
  timeoutMs = 3_000,
): Promise<"registered" | "present" | "absent"> {
  const configured = dockerConfig(env).host !== undefined;
  if (!configured) {
    try {
      await withTimeout(createDockerClient({ env }).ping(), timeoutMs, "the default Docker socket");
    } catch {
      return "absent";
    }
  }
  return (await ensureLocalHost(db, localEndpoint(env))) ? "registered" : "present";
}

/** A host and whether its engine answered a ping just now (with the error when not). */
export interface HostReachability extends HostView {
  reachable: boolean;
  error: string | null;
}

/** Pings every host in parallel, each with its own timeout, so one dead engine never delays the others' answer. */
export async function probeHosts(
  db: Db,
  options: { env?: Env; timeoutMs?: number; label?: string } = {},
): Promise<HostReachability[]> {
  const env = options.env;
  const hosts = await listHostConnections(db, { label: options.label }, env);
  return Promise.all(
    hosts.map(async ({ host, connect }) => {
      let client: DockerClient;
      try {
        client = clientForConnection(await connect(), env);
      } catch (error) {
        const message = `Docker host "${host.name}": its TLS material cannot be opened (${errorMessage(error)})`;
        return { ...host, reachable: false, error: message };
      }
      try {
        await withTimeout(client.ping(), options.timeoutMs ?? 3_000, `Docker host "${host.name}"`);
        return { ...host, reachable: true, error: null };
      } catch (error) {
        return { ...host, reachable: false, error: errorMessage(error) };
      }
    }),
  );
}

/** The names of the hosts per-host work runs on: every registered host, or `local` alone before any is. */
export async function hostNames(db: Db): Promise<string[]> {
  const hosts = await listHosts(db);
  return hosts.length > 0 ? hosts.map((host) => host.name) : [LOCAL_HOST_NAME];
}
