import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import type { Staleness } from "@/lib/domain/staleness";
import { Prisma, WorkspaceStatus } from "@/lib/generated/prisma/client";
import { isCursorTime } from "@/lib/util/cursor-parts";

import { LIVE, stalenessCondition } from "./stale-fleet";

// The Workspaces list's SQL pieces: its filter as WHERE conditions (shared by the page and its
// total) and the keyset cursor on (created_at, id) that pages it.

/** Filters and page position for listWorkspaces; every field is optional. */
export type WorkspaceFilter = {
  template?: string;
  status?: WorkspaceStatus;
  staleness?: Staleness;
  /** Prefix of the name (case-insensitive) or of the id. */
  q?: string;
  /** Workspaces on this Docker host. */
  host?: string;
  /** Workspaces on hosts carrying this label, `name=value`. */
  hostLabel?: string;
  cursor?: string;
  direction?: "next" | "prev";
  limit?: number;
};

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const STATUSES = Object.values(WorkspaceStatus) as string[];

export function filterConditions(filter: WorkspaceFilter, target: Prisma.Sql): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.status !== undefined) {
    if (!STATUSES.includes(filter.status)) throw invalid("status", `Unknown status "${String(filter.status)}".`);
    conditions.push(Prisma.sql`w.status = ${filter.status}::workspace_status`);
  } else {
    conditions.push(LIVE);
  }
  if (filter.template !== undefined && filter.template !== "")
    conditions.push(Prisma.sql`w.runtime = ${filter.template}`);
  if (filter.staleness !== undefined) conditions.push(stalenessCondition(filter.staleness, target));
  const q = filter.q?.trim();
  if (q) {
    const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(Prisma.sql`(w.name ILIKE ${prefix} OR w.id::text LIKE ${prefix.toLowerCase()})`);
  }
  if (filter.host) conditions.push(Prisma.sql`w.host = ${filter.host}`);
  if (filter.hostLabel) {
    const at = filter.hostLabel.indexOf("=");
    if (at < 1) throw invalid("hostLabel", "A host label filter is name=value.");
    // The few host rows carrying the label; workspaces are then read through idx_workspaces_host.
    conditions.push(
      Prisma.sql`w.host IN (SELECT h.name FROM docker_hosts h WHERE h.labels ->> ${filter.hostLabel.slice(0, at)} = ${filter.hostLabel.slice(at + 1)})`,
    );
  }
  return conditions;
}

export type Key = { at: string; id: string };

export function before(key: Key): Prisma.Sql {
  return Prisma.sql`(w.created_at, w.id) < (${key.at}::timestamptz, ${key.id}::uuid)`;
}

export function after(key: Key): Prisma.Sql {
  return Prisma.sql`(w.created_at, w.id) > (${key.at}::timestamptz, ${key.id}::uuid)`;
}

export function and(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, " AND ");
}

export function encodeCursor(key: Key): string {
  return Buffer.from(`${key.at}|${key.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): Key {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !at || !id || !isCursorTime(at) || !isUuid(id)) {
    throw invalid("cursor", "This page link is not valid any more; start again from the first page.");
  }
  return { at, id };
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, { [field]: [message] });
}
