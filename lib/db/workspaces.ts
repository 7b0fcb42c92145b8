import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import { staleness, type Staleness } from "@/lib/domain/staleness";
import { Prisma, WorkspaceStatus } from "@/lib/generated/prisma/client";
import { isCursorTime } from "@/lib/util/cursor-parts";

import type { Db } from "./client";
import { LIVE, stalenessCondition, TARGET_DIGEST } from "./stale-fleet";

/** One workspace as the Workspaces and Stale fleet pages show it. */
export type WorkspaceRow = {
  id: string;
  name: string;
  runtime: string;
  status: WorkspaceStatus;
  containerId: string | null;
  containerName: string | null;
  runtimeImage: string | null;
  runtimeImageDigest: string | null;
  pinnedDigest: string | null;
  staleness: Staleness;
  lastError: string | null;
  locked: boolean;
  lastProvisionedAt: Date | null;
  updatedAt: Date;
  /** The Docker host its container lives on. */
  host: string;
};

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

/** One page of workspaces, newest first, with cursors for the pages either side. */
export type WorkspacePage = {
  rows: WorkspaceRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  total: number;
};

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const STATUSES = Object.values(WorkspaceStatus) as string[];

// Microsecond text: a JS Date keeps only milliseconds, and a cursor that loses
// precision would skip or repeat rows that share a millisecond.
const CURSOR_AT = Prisma.sql`to_char(w.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const ROW_COLUMNS = Prisma.sql`
  w.id::text AS id, w.name, w.runtime, w.status::text AS status, w.container_id, w.container_name,
  w.runtime_image, w.runtime_image_digest, p.digest AS pinned_digest, w.last_error,
  (w.locked_by IS NOT NULL) AS locked, w.last_provisioned_at, w.updated_at, w.host, ${CURSOR_AT} AS cursor_at`;

type RawWorkspace = {
  id: string;
  name: string;
  runtime: string;
  status: WorkspaceStatus;
  container_id: string | null;
  container_name: string | null;
  runtime_image: string | null;
  runtime_image_digest: string | null;
  pinned_digest: string | null;
  last_error: string | null;
  locked: boolean;
  last_provisioned_at: Date | null;
  updated_at: Date;
  host: string;
  cursor_at: string;
};

/** Workspaces matching `filter`, newest first, by keyset pagination on (created_at, id): no OFFSET, so deep pages stay fast. */
export async function listWorkspaces(db: Db, filter: WorkspaceFilter = {}): Promise<WorkspacePage> {
  const limit = pageSize(filter.limit);
  const where = filterConditions(filter, TARGET_DIGEST);
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  // "prev" without a cursor means the last page.
  const backwards = filter.direction === "prev";

  const conditions = [...where];
  if (cursor) conditions.push(backwards ? after(cursor) : before(cursor));
  const order = backwards ? Prisma.sql`w.created_at ASC, w.id ASC` : Prisma.sql`w.created_at DESC, w.id DESC`;

  const [fetched, counted] = await Promise.all([
    db.$queryRaw<RawWorkspace[]>`
      SELECT ${ROW_COLUMNS}
      FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
      WHERE ${and(conditions)}
      ORDER BY ${order}
      LIMIT ${limit + 1}`,
    countMatching(db, filter),
  ]);

  const hasMoreThisWay = fetched.length > limit;
  const page = fetched.slice(0, limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];

  // Whether anything lies the other way is only certain once we look: the row
  // the cursor pointed at may have been deleted since.
  let hasMoreOtherWay = false;
  if (cursor && first && last) {
    const edge = backwards ? last : first;
    const probe = backwards ? before(keyOf(edge)) : after(keyOf(edge));
    const rows = await db.$queryRaw<{ found: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
        WHERE ${and([...where, probe])}
      ) AS found`;
    hasMoreOtherWay = rows[0]?.found === true;
  }

  const hasNext = backwards ? hasMoreOtherWay : hasMoreThisWay;
  const hasPrev = backwards ? hasMoreThisWay : hasMoreOtherWay;
  return {
    rows: page.map(toRow),
    nextCursor: hasNext && last ? encodeCursor(keyOf(last)) : null,
    prevCursor: hasPrev && first ? encodeCursor(keyOf(first)) : null,
    total: counted[0]?.total ?? 0,
  };
}

/**
 * How many workspaces match `where`. Every filter but the name/id prefix is a condition on the
 * columns workspace_counts keeps (runtime, runtime_image_digest, status, host, under the same
 * names), so the total is a sum over its few thousand rows (aliased `w`, as the conditions
 * expect) instead of a count of up to every workspace; a prefix search counts the rows.
 */
async function countMatching(db: Db, filter: WorkspaceFilter): Promise<{ total: number }[]> {
  // While a rollout runs, on-target and stale depend on each workspace's ring target, which the
  // kept counts do not carry: count the rows then (one template's rollout, only while it runs).
  const byTarget = (filter.staleness === "on_pin" || filter.staleness === "stale") && (await anyActiveRollout(db));
  if (filter.q?.trim() || byTarget) {
    const where = filterConditions(filter, TARGET_DIGEST);
    return db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS total
      FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
      WHERE ${and(where)}`;
  }
  const where = filterConditions(filter, PIN_DIGEST);
  return db.$queryRaw<{ total: number }[]>`
    SELECT coalesce(sum(w.n), 0)::int AS total
    FROM workspace_counts w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE ${and(where)}`;
}

/** One workspace by id (any status), or null when there is none or the id is not a UUID. */
export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow | null> {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<RawWorkspace[]>`
    SELECT ${ROW_COLUMNS}
    FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE w.id = ${id}::uuid`;
  return rows[0] ? toRow(rows[0]) : null;
}

const PIN_DIGEST = Prisma.sql`p.digest`;

async function anyActiveRollout(db: Db): Promise<boolean> {
  const rows = await db.$queryRaw<{ active: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM rollouts WHERE status IN ('running', 'paused')) AS active`;
  return rows[0]?.active === true;
}

function filterConditions(filter: WorkspaceFilter, target: Prisma.Sql): Prisma.Sql[] {
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

type Key = { at: string; id: string };

function keyOf(row: RawWorkspace): Key {
  return { at: row.cursor_at, id: row.id };
}

function before(key: Key): Prisma.Sql {
  return Prisma.sql`(w.created_at, w.id) < (${key.at}::timestamptz, ${key.id}::uuid)`;
}

function after(key: Key): Prisma.Sql {
  return Prisma.sql`(w.created_at, w.id) > (${key.at}::timestamptz, ${key.id}::uuid)`;
}

function and(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, " AND ");
}

function encodeCursor(key: Key): string {
  return Buffer.from(`${key.at}|${key.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): Key {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !at || !id || !isCursorTime(at) || !isUuid(id)) {
    throw invalid("cursor", "This page link is not valid any more; start again from the first page.");
  }
  return { at, id };
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, { [field]: [message] });
}

function toRow(row: RawWorkspace): WorkspaceRow {
  return {
    id: row.id,
    name: row.name,
    runtime: row.runtime,
    status: row.status,
    containerId: row.container_id,
    containerName: row.container_name,
    runtimeImage: row.runtime_image,
    runtimeImageDigest: row.runtime_image_digest,
    pinnedDigest: row.pinned_digest,
    staleness: staleness(row.pinned_digest, row.runtime_image_digest),
    lastError: row.last_error,
    locked: row.locked,
    lastProvisionedAt: row.last_provisioned_at,
    updatedAt: row.updated_at,
    host: row.host,
  };
}
