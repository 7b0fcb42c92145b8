import "server-only";

import type { Env } from "@/lib/config";
import { recordAudit } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { loadSecretKey } from "@/lib/db/secret-key";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { Prisma, type DockerHost } from "@/lib/generated/prisma/client";
import { LOCAL_HOST_NAME, type HostInput, type HostTls, type HostUpdate } from "@/lib/schemas/host";
import { openSecret, sealSecret } from "@/lib/util/secret-box";

/** A host as pages and the API show it: never the TLS material, only whether there is some. */
export interface HostView {
  name: string;
  endpoint: string;
  labels: Record<string, string>;
  concurrency: number;
  tls: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a Docker client needs to reach a host (TLS opened). Server-side only. */
export interface HostConnection {
  name: string;
  endpoint: string;
  concurrency: number;
  tls: HostTls | null;
}

export function toHostView(row: DockerHost): HostView {
  return {
    name: row.name,
    endpoint: row.endpoint,
    labels: (row.labels ?? {}) as Record<string, string>,
    concurrency: row.concurrency,
    tls: row.tlsKey !== null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Every registered host, by name; `label` (`region=eu`) keeps those carrying it. */
export async function listHosts(db: Db, filter: { label?: string } = {}): Promise<HostView[]> {
  const rows = await db.dockerHost.findMany({ orderBy: { name: "asc" } });
  const views = rows.map(toHostView);
  return filter.label ? views.filter((host) => hasLabel(host.labels, filter.label!)) : views;
}

/** `name=value` against a host's labels (pure). */
export function hasLabel(labels: Record<string, string>, label: string): boolean {
  const at = label.indexOf("=");
  const key = at < 0 ? label : label.slice(0, at);
  return at < 0 ? key in labels : labels[key] === label.slice(at + 1);
}

export async function getHost(db: Db, name: string): Promise<HostView> {
  const row = await db.dockerHost.findUnique({ where: { name } });
  if (!row) throw new NotFoundError(`Docker host "${name}" is not registered.`);
  return toHostView(row);
}

/** The connection of a registered host with its TLS material opened, or null when not registered. */
export async function hostConnection(db: Db, name: string, env?: Env): Promise<HostConnection | null> {
  const row = await db.dockerHost.findUnique({ where: { name } });
  return row ? connectionOf(row, env) : null;
}

/**
 * Every registered host (by name, `label` keeping those carrying it) with its connection, read in
 * one query: probing all hosts must not cost a query per host. Each host's TLS material is opened
 * only when its `connect` is called, so one that cannot be opened fails alone.
 */
export async function listHostConnections(
  db: Db,
  filter: { label?: string } = {},
  env?: Env,
): Promise<Array<{ host: HostView; connect: () => Promise<HostConnection> }>> {
  const rows = await db.dockerHost.findMany({ orderBy: { name: "asc" } });
  return rows
    .map((row) => ({ row, host: toHostView(row) }))
    .filter(({ host }) => !filter.label || hasLabel(host.labels, filter.label))
    .map(({ row, host }) => ({ host, connect: () => connectionOf(row, env) }));
}

async function connectionOf(row: DockerHost, env: Env | undefined): Promise<HostConnection> {
  return { name: row.name, endpoint: row.endpoint, concurrency: row.concurrency, tls: await openTls(row, env) };
}

async function openTls(row: DockerHost, env: Env | undefined): Promise<HostTls | null> {
  if (row.tlsCa === null || row.tlsCert === null || row.tlsKey === null) return null;
  const key = await loadSecretKey(env);
  return { ca: openSecret(row.tlsCa, key), cert: openSecret(row.tlsCert, key), key: openSecret(row.tlsKey, key) };
}

async function sealTls(tls: HostTls | null | undefined, env: Env | undefined) {
  if (tls === undefined) return {};
  if (tls === null) return { tlsCa: null, tlsCert: null, tlsKey: null };
  const key = await loadSecretKey(env);
  return { tlsCa: sealSecret(tls.ca, key), tlsCert: sealSecret(tls.cert, key), tlsKey: sealSecret(tls.key, key) };
}

/** Registers a host (audited in the same transaction). Another host with the name or the endpoint → ConflictError. */
export async function addHost(db: Db, input: HostInput, actor: string, env?: Env): Promise<HostView> {
  const sealed = await sealTls(input.tls, env);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.dockerHost.create({
        data: {
          name: input.name,
          endpoint: input.endpoint,
          labels: input.labels,
          concurrency: input.concurrency,
          createdBy: actor,
          ...sealed,
        },
      });
      await recordAudit(tx, {
        actor,
        action: "host.add",
        targetType: "host",
        targetId: row.name,
        after: auditShape(row),
      });
      return toHostView(row);
    });
  } catch (error) {
    throw duplicateAsConflict(error, input);
  }
}

/** Changes a host's endpoint, labels, concurrency and (when given) TLS; audited. */
export async function updateHost(db: Db, name: string, input: HostUpdate, actor: string, env?: Env): Promise<HostView> {
  const sealed = await sealTls(input.tls, env);
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.dockerHost.findUnique({ where: { name } });
      if (!before) throw new NotFoundError(`Docker host "${name}" is not registered.`);
      const row = await tx.dockerHost.update({
        where: { name },
        data: { endpoint: input.endpoint, labels: input.labels, concurrency: input.concurrency, ...sealed },
      });
      await recordAudit(tx, {
        actor,
        action: "host.update",
        targetType: "host",
        targetId: name,
        before: auditShape(before),
        after: auditShape(row),
      });
      return toHostView(row);
    });
  } catch (error) {
    throw duplicateAsConflict(error, { name, endpoint: input.endpoint });
  }
}

/**
 * Unregisters a host. Refused while live workspaces (not removed) record it: their containers
 * would be left without an engine Fleetpin can reach. Move or remove them first.
 */
export async function deleteHost(db: Db, name: string, actor: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.dockerHost.findUnique({ where: { name } });
    if (!row) throw new NotFoundError(`Docker host "${name}" is not registered.`);
    const live = await tx.workspace.count({ where: { host: name, status: { not: "removed" } } });
    if (live > 0)
      throw new ConflictError(
        `Docker host "${name}" still has ${live} workspace${live === 1 ? "" : "s"}; remove or move them first.`,
      );
    await tx.dockerHost.delete({ where: { name } });
    await recordAudit(tx, {
      actor,
      action: "host.delete",
      targetType: "host",
      targetId: name,
      before: auditShape(row),
    });
  });
}

/**
 * Registers `local` = DOCKER_HOST (or the default socket) when it is not registered yet; an
 * existing row (maybe edited by an operator) is left as it is. Returns whether it inserted.
 */
export async function ensureLocalHost(db: Db, endpoint: string): Promise<boolean> {
  const { count } = await db.dockerHost.createMany({
    data: [{ name: LOCAL_HOST_NAME, endpoint, createdBy: "system:start-up" }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** Each workspace's host name, for per-host work (the runner, the queue's per-host key). */
export async function hostOfWorkspaces(db: Db, workspaceIds: string[]): Promise<Map<string, string>> {
  const rows = await db.workspace.findMany({ where: { id: { in: workspaceIds } }, select: { id: true, host: true } });
  return new Map(rows.map((row) => [row.id, row.host]));
}

// The audit log says which TLS material changed, never the material.
function auditShape(row: DockerHost): Prisma.InputJsonValue {
  return {
    endpoint: row.endpoint,
    labels: row.labels as Prisma.InputJsonValue,
    concurrency: row.concurrency,
    tls: row.tlsKey !== null,
  };
}

function duplicateAsConflict(error: unknown, input: { name: string; endpoint: string }): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return error;
  const target = JSON.stringify(error.meta ?? {});
  return target.includes("endpoint")
    ? new ConflictError(`Another host is already registered at ${input.endpoint}.`)
    : new ConflictError(`A host named "${input.name}" is already registered.`);
}
