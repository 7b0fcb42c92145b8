import "server-only";

import { isUuid } from "@/lib/domain/is-uuid";
import { staleness, type Staleness } from "@/lib/domain/staleness";
import { Prisma, WorkspaceStatus } from "@/lib/generated/prisma/client";

import type { Db } from "./client";
import { TARGET_DIGEST } from "./stale-fleet";
import {
  after,
  and,
  before,
  decodeCursor,
  encodeCursor,
  filterConditions,
  pageSize,
  type Key,
  type WorkspaceFilter,
} from "./workspace-filter";

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

/** One page of workspaces, newest first, with cursors for the pages either side. */
export type WorkspacePage = {
  rows: WorkspaceRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  total: number;
};

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
    // Raw: a keyset page on the row value (created_at, id) with a microsecond cursor; the model API has neither.
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
    // Raw: EXISTS over the same keyset condition, one index probe instead of a count.
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
    // Raw: the filter's conditions are SQL fragments shared with the page query (staleness against the ring target).
    return db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS total
      FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
      WHERE ${and(where)}`;
  }
  const where = filterConditions(filter, PIN_DIGEST);
  // Raw: a sum over the kept counts table (index-only, a few thousand rows), which the model API cannot aggregate so.
  return db.$queryRaw<{ total: number }[]>`
    SELECT coalesce(sum(w.n), 0)::int AS total
    FROM workspace_counts w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE ${and(where)}`;
}

/** One workspace by id (any status), or null when there is none or the id is not a UUID. */
export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow | null> {
  if (!isUuid(id)) return null;
  // Raw: the same columns (pin joined, cursor text) as a page row, so both map through toRow.
  const rows = await db.$queryRaw<RawWorkspace[]>`
    SELECT ${ROW_COLUMNS}
    FROM workspaces w LEFT JOIN runtime_image_pins p ON p.template_name = w.runtime
    WHERE w.id = ${id}::uuid`;
  return rows[0] ? toRow(rows[0]) : null;
}

const PIN_DIGEST = Prisma.sql`p.digest`;

async function anyActiveRollout(db: Db): Promise<boolean> {
  // Raw: EXISTS stops at the first active rollout (the partial unique index on active rollouts serves it).
  const rows = await db.$queryRaw<{ active: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM rollouts WHERE status IN ('running', 'paused')) AS active`;
  return rows[0]?.active === true;
}

function keyOf(row: RawWorkspace): Key {
  return { at: row.cursor_at, id: row.id };
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
