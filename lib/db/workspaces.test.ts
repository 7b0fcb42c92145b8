import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";
import { staleness, type Staleness } from "@/lib/domain/staleness";
import type { WorkspaceStatus } from "@/lib/generated/prisma/client";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

import { listStaleWorkspaceIds, staleSummary } from "./stale-fleet";
import type { WorkspaceFilter } from "./workspace-filter";
import { getWorkspace, listWorkspaces, type WorkspaceRow } from "./workspaces";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const C = `sha256:${"c".repeat(64)}`;
const PINS: Record<string, string> = { hermes: A, codex: C, autogen: B };

type Seeded = {
  id: string;
  name: string;
  runtime: string;
  status: WorkspaceStatus;
  digest: string | null;
  staleness: Staleness;
};

describe.each(availableBackends())("workspaces on %s", (backend) => {
  let database: TestDatabase;
  /** All seeded rows in page order: newest first, ties broken by id descending. */
  let all: Seeded[];
  const db = () => database.db;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    for (const [templateName, digest] of Object.entries(PINS)) {
      await db()
        .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES (${templateName}, ${digest})`;
    }
    // 500 rows; four share each millisecond and two share each exact microsecond,
    // so the cursor must keep microseconds and break ties by id.
    await db().$executeRaw`
      INSERT INTO workspaces (name, runtime, status, runtime_image_digest, created_at)
      SELECT 'ws-' || lpad(g::text, 4, '0'),
             (ARRAY['hermes', 'codex', 'langgraph'])[1 + g % 3],
             (ARRAY['online', 'offline', 'failed', 'removed', 'down'])[1 + g % 5]::workspace_status,
             CASE WHEN g % 7 = 0 THEN NULL WHEN g % 2 = 0 THEN ${A} ELSE ${B} END,
             timestamptz '2026-01-01 00:00:00+00' + ((g / 4) || ' milliseconds')::interval + ((g % 2) || ' microseconds')::interval
      FROM generate_series(1, 500) g`;
    const rows = await db().$queryRaw<Omit<Seeded, "staleness">[]>`
      SELECT id::text AS id, name, runtime, status::text AS status, runtime_image_digest AS digest
      FROM workspaces ORDER BY created_at DESC, id DESC`;
    all = rows.map((row) => ({ ...row, staleness: staleness(PINS[row.runtime] ?? null, row.digest) }));
  });
  afterAll(async () => {
    await database?.close();
  });

  async function walkForward(filter: WorkspaceFilter): Promise<{ ids: string[]; pages: number; totals: number[] }> {
    const ids: string[] = [];
    const totals: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listWorkspaces(db(), { ...filter, cursor, direction: "next" });
      pages += 1;
      totals.push(page.total);
      ids.push(...page.rows.map((row) => row.id));
      expect(page.prevCursor === null).toBe(pages === 1);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
      if (pages > 100) throw new Error("pagination does not end");
    }
    return { ids, pages, totals };
  }

  async function walkBackward(filter: WorkspaceFilter): Promise<string[]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listWorkspaces(db(), { ...filter, cursor, direction: "prev" });
      pages.unshift(page.rows.map((row) => row.id));
      expect(page.nextCursor === null).toBe(pages.length === 1);
      if (!page.prevCursor) break;
      cursor = page.prevCursor;
      if (pages.length > 100) throw new Error("pagination does not end");
    }
    return pages.flat();
  }

  const live = (row: Seeded) => row.status !== "removed";

  it.each<[string, WorkspaceFilter, (row: Seeded) => boolean]>([
    ["no filter (removed hidden)", {}, live],
    ["template", { template: "hermes" }, (r) => live(r) && r.runtime === "hermes"],
    ["status removed (asked for)", { status: "removed" }, (r) => r.status === "removed"],
    ["status online", { status: "online" }, (r) => r.status === "online"],
    ["status down", { status: "down" }, (r) => r.status === "down"],
    ["stale", { staleness: "stale" }, (r) => live(r) && r.staleness === "stale"],
    ["on pin", { staleness: "on_pin" }, (r) => live(r) && r.staleness === "on_pin"],
    ["unknown", { staleness: "unknown" }, (r) => live(r) && r.staleness === "unknown"],
    ["unpinned", { staleness: "unpinned" }, (r) => live(r) && r.staleness === "unpinned"],
    [
      "template + stale + status",
      { template: "codex", staleness: "stale", status: "failed" },
      (r) => r.runtime === "codex" && r.staleness === "stale" && r.status === "failed",
    ],
    ["name prefix, any case", { q: "WS-01" }, (r) => live(r) && r.name.startsWith("ws-01")],
    ["LIKE wildcards are literal", { q: "ws-0_" }, () => false],
  ])("pages through %s forwards and backwards without gaps or repeats", async (_name, filter, keep) => {
    const expected = all.filter(keep).map((row) => row.id);

    const forward = await walkForward({ ...filter, limit: 37 });
    const backward = await walkBackward({ ...filter, limit: 37 });

    expect(forward.ids).toEqual(expected);
    expect(new Set(forward.totals)).toEqual(new Set([expected.length]));
    expect(backward).toEqual(expected);
  });

  it("finds a workspace by id prefix", async () => {
    const target = all[123] as Seeded;

    const page = await listWorkspaces(db(), { q: target.id.slice(0, 13), status: target.status });

    expect(page.rows.map((row) => row.id)).toContain(target.id);
  });

  it("returns rows shaped for the pages", async () => {
    const page = await listWorkspaces(db(), { template: "hermes", staleness: "stale", limit: 1 });

    expect(page.rows[0]).toMatchObject({
      runtime: "hermes",
      runtimeImageDigest: B,
      pinnedDigest: A,
      staleness: "stale",
      locked: false,
      lastError: null,
      containerId: null,
    } satisfies Partial<WorkspaceRow>);
    expect(page.rows[0]?.updatedAt).toBeInstanceOf(Date);
  });

  it("clamps the page size", async () => {
    expect((await listWorkspaces(db(), { limit: 10_000 })).rows).toHaveLength(200);
    expect((await listWorkspaces(db(), { limit: 0 })).rows).toHaveLength(1);
    expect((await listWorkspaces(db(), {})).rows).toHaveLength(50);
  });

  it("keeps paging when the cursor row was deleted", async () => {
    const first = await listWorkspaces(db(), { limit: 10 });
    const next = await listWorkspaces(db(), { limit: 10, cursor: first.nextCursor ?? undefined });
    const lastOfFirst = first.rows[9] as WorkspaceRow;
    await db().$executeRaw`UPDATE workspaces SET status = 'removed' WHERE id = ${lastOfFirst.id}::uuid`;
    try {
      const again = await listWorkspaces(db(), { limit: 10, cursor: first.nextCursor ?? undefined });
      expect(again.rows.map((row) => row.id)).toEqual(next.rows.map((row) => row.id));
      expect(again.prevCursor).not.toBeNull();
    } finally {
      await db()
        .$executeRaw`UPDATE workspaces SET status = ${all.find((r) => r.id === lastOfFirst.id)?.status}::workspace_status WHERE id = ${lastOfFirst.id}::uuid`;
    }
  });

  it.each<[string, WorkspaceFilter, RegExp]>([
    ["a forged cursor", { cursor: "bm90LWEtY3Vyc29y" }, /page link is not valid/],
    ["an unknown status", { status: "sleeping" as WorkspaceStatus }, /Unknown status "sleeping"/],
    ["an unknown staleness", { staleness: "old" as Staleness }, /Unknown staleness "old"/],
  ])("rejects %s", async (_name, filter, message) => {
    await expect(listWorkspaces(db(), filter)).rejects.toBeInstanceOf(ValidationError);
    await expect(listWorkspaces(db(), filter)).rejects.toThrow(message);
  });

  it("gets one workspace, removed or not", async () => {
    const removed = all.find((row) => row.status === "removed") as Seeded;

    expect(await getWorkspace(db(), removed.id)).toMatchObject({
      id: removed.id,
      name: removed.name,
      status: "removed",
    });
    expect(await getWorkspace(db(), "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await getWorkspace(db(), "not-a-uuid")).toBeNull();
  });

  it("summarises the fleet per template in one query", async () => {
    const count = (template: string, which?: Staleness) =>
      all.filter((r) => live(r) && r.runtime === template && (which === undefined || r.staleness === which)).length;

    const summary = await staleSummary(db());

    expect(summary).toEqual([
      { templateName: "autogen", pinnedDigest: B, total: 0, onPin: 0, stale: 0, unknown: 0, down: 0 },
      ...["codex", "hermes", "langgraph"].map((templateName) => ({
        templateName,
        pinnedDigest: PINS[templateName] ?? null,
        total: count(templateName),
        onPin: count(templateName, "on_pin"),
        stale: count(templateName, "stale"),
        unknown: count(templateName, "unknown"),
        down: all.filter((r) => r.runtime === templateName && r.status === "down").length,
      })),
    ]);
    expect(summary.find((row) => row.templateName === "codex")?.stale).toBeGreaterThan(0);
    expect(summary.find((row) => row.templateName === "hermes")?.down).toBeGreaterThan(0);
    expect(summary.find((row) => row.templateName === "langgraph")).toMatchObject({ onPin: 0, stale: 0, unknown: 0 });
  });

  it("lists stale workspace ids oldest first, for all templates or one", async () => {
    const stale = all.filter((r) => live(r) && r.staleness === "stale").reverse();

    expect(await listStaleWorkspaceIds(db())).toEqual(stale.map((r) => r.id));
    expect(await listStaleWorkspaceIds(db(), "hermes")).toEqual(
      stale.filter((r) => r.runtime === "hermes").map((r) => r.id),
    );
    expect(await listStaleWorkspaceIds(db(), "langgraph")).toEqual([]);
  });
});

describe.each(availableBackends())("workspaces at 100k rows on %s", (backend) => {
  let database: TestDatabase;
  const db = () => database.db;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await db()
      .$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${A}), ('codex', ${A})`;
    await db().$executeRaw`
      INSERT INTO workspaces (name, runtime, status, runtime_image_digest, created_at)
      SELECT 'ws-' || g,
             (ARRAY['autogen', 'claude-code', 'codex', 'crewai', 'deepagents', 'gemini-cli', 'hermes', 'langgraph', 'openclaw'])[1 + g % 9],
             (ARRAY['online', 'offline', 'failed', 'removed', 'online'])[1 + g % 5]::workspace_status,
             CASE WHEN g % 7 = 0 THEN NULL WHEN g % 100 = 0 THEN ${B} ELSE ${A} END,
             timestamptz '2026-01-01 00:00:00+00' + (g || ' seconds')::interval
      FROM generate_series(1, 100000) g`;
    await db().$executeRawUnsafe("ANALYZE workspaces");
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  // Correctness deep into a 100k fleet; how fast it is belongs to `npm run bench`,
  // not to a timed test on a shared machine.

  it("pages deep into a 100k fleet with keyset cursors", async () => {
    const first = await listWorkspaces(db(), {});
    const last = await listWorkspaces(db(), { direction: "prev" });
    const middle = await listWorkspaces(db(), { cursor: first.nextCursor ?? undefined });
    const stale = await listWorkspaces(db(), { template: "hermes", staleness: "stale" });

    expect(first.total).toBe(80_000);
    expect(last.nextCursor).toBeNull();
    expect(middle.rows).toHaveLength(50);
    expect(stale.rows.every((row) => row.staleness === "stale")).toBe(true);
  });

  it("summarises and lists the stale fleet of 100k workspaces", async () => {
    const summary = await staleSummary(db());
    const ids = await listStaleWorkspaceIds(db());

    expect(summary.reduce((sum, row) => sum + row.total, 0)).toBe(80_000);
    expect(summary.reduce((sum, row) => sum + row.stale, 0)).toBe(ids.length);
  });
});
