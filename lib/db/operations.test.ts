import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import {
  cancelOperation,
  enqueueReprovision,
  enqueueSync,
  getOperationProgress,
  INTERRUPTED_ERROR,
  listRecentOperations,
  recoverInterruptedOperations,
  resolveConcurrency,
} from "@/lib/db/operations";
import { listStaleWorkspaceIds } from "@/lib/db/workspaces";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { OperationItemStatus } from "@/lib/generated/prisma/client";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const ACTOR = "olga@example.com";
const NO_SUCH = "00000000-0000-4000-8000-000000000000";

describe("resolveConcurrency", () => {
  it.each<[number | undefined, Record<string, string>, number]>([
    [undefined, {}, 4],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "8" }, 8],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "many" }, 4],
    [undefined, { FLEETPIN_BULK_CONCURRENCY: "0" }, 4],
    [2, { FLEETPIN_BULK_CONCURRENCY: "8" }, 2],
  ])("%s with %j → %s", (requested, env, expected) => {
    expect(resolveConcurrency(requested, env as NodeJS.ProcessEnv)).toBe(expected);
  });

  it.each([0, 33, 1.5, Number.NaN])("rejects %s", (requested) => {
    expect(() => resolveConcurrency(requested, {} as NodeJS.ProcessEnv)).toThrow(ValidationError);
  });
});

describe.each(availableBackends())("operations on %s", (backend) => {
  let database: TestDatabase;
  const db = () => database.db;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await db().$executeRawUnsafe("TRUNCATE operations, operation_items, workspaces, runtime_image_pins, audit_log CASCADE");
    await db().$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${A}), ('codex', ${A})`;
  });

  /** Inserts workspaces; returns their ids in order. */
  async function seed(rows: { name: string; runtime?: string; digest?: string | null; status?: string }[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, row] of rows.entries()) {
      const [created] = await db().$queryRaw<{ id: string }[]>`
        INSERT INTO workspaces (name, runtime, runtime_image_digest, status, created_at)
        VALUES (${row.name}, ${row.runtime ?? "hermes"}, ${row.digest === undefined ? B : row.digest},
                ${row.status ?? "online"}::workspace_status, timestamptz '2026-01-01' + (${i} || ' seconds')::interval)
        RETURNING id::text AS id`;
      ids.push(created!.id);
    }
    return ids;
  }

  const items = (operationId: string) =>
    db().operationItem.findMany({ where: { operationId }, orderBy: { id: "asc" }, select: { workspaceId: true, status: true, error: true } });

  describe("enqueueReprovision", () => {
    it("records one workspace as a 'reprovision' with its item and audit row", async () => {
      const [id] = await seed([{ name: "one" }]);

      const { operationId, total } = await enqueueReprovision(db(), { workspaceIds: [id!], reason: " hotfix " }, ACTOR);

      expect(total).toBe(1);
      const operation = await db().operation.findUniqueOrThrow({ where: { id: operationId } });
      expect(operation).toMatchObject({ kind: "reprovision", status: "queued", requestedBy: ACTOR, templateName: "hermes", reason: "hotfix", total: 1, concurrency: 4 });
      expect(await items(operationId)).toEqual([{ workspaceId: id, status: "queued", error: null }]);
      const [audit] = (await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows;
      expect(audit).toMatchObject({ actor: ACTOR, targetType: "operation", targetId: operationId, templateName: "hermes", reason: "hotfix" });
      expect(audit?.after).toMatchObject({ kind: "reprovision", total: 1, workspaceIds: [id], concurrency: 4 });
    });

    it("records several workspaces (deduplicated) as a 'bulk_reprovision'", async () => {
      const ids = await seed([{ name: "a" }, { name: "b", runtime: "codex" }]);

      const { operationId, total } = await enqueueReprovision(db(), { workspaceIds: [ids[0]!, ids[1]!, ids[0]!.toUpperCase()], concurrency: 2 }, ACTOR);

      expect(total).toBe(2);
      expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ kind: "bulk_reprovision", templateName: null, concurrency: 2 });
      expect((await items(operationId)).map((item) => item.workspaceId)).toEqual(ids);
    });

    it("enqueues every live stale workspace, or those of one template, in one statement", async () => {
      await seed([
        { name: "stale-h1" },
        { name: "on-pin", digest: A },
        { name: "unknown", digest: null },
        { name: "removed", status: "removed" },
        { name: "stale-c1", runtime: "codex" },
        { name: "unpinned", runtime: "langgraph" },
        { name: "stale-h2" },
      ]);

      const perTemplate = await enqueueReprovision(db(), { allStale: true, template: "codex" }, ACTOR);
      const rest = await enqueueReprovision(db(), { allStale: true, reason: "weekly" }, ACTOR);

      expect(perTemplate.total).toBe(1);
      expect(await db().operation.findUniqueOrThrow({ where: { id: perTemplate.operationId } })).toMatchObject({ kind: "bulk_reprovision", templateName: "codex", total: 1 });
      // codex's stale workspace is already queued in the first operation, so the second leaves it to that one.
      const hermesStale = await listStaleWorkspaceIds(db(), "hermes");
      expect(rest.total).toBe(2);
      expect((await items(rest.operationId)).map((item) => item.workspaceId)).toEqual(hermesStale);
      expect((await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows[0]?.after).toMatchObject({ allStale: true, template: null, total: 2 });
    });

    it.each<[string, () => Promise<unknown>, RegExp]>([
      ["an empty selection", () => enqueueReprovision(db(), { workspaceIds: [] }, ACTOR), /Nothing to reprovision/],
      ["no selection at all", () => enqueueReprovision(db(), { template: "hermes" }, ACTOR), /Nothing to reprovision/],
      ["all stale when nothing is stale", () => enqueueReprovision(db(), { allStale: true, template: "hermes" }, ACTOR), /no stale workspaces of hermes/],
      ["an id that is no UUID", () => enqueueReprovision(db(), { workspaceIds: ["ws-1"] }, ACTOR), /Not a workspace id: ws-1/],
      ["a reason over 500 characters", () => enqueueReprovision(db(), { allStale: true, reason: "x".repeat(501) }, ACTOR), /keep it to 500/],
    ])("rejects %s with a ValidationError and writes nothing", async (_name, act, message) => {
      await seed([{ name: "on-pin", digest: A }]);

      await expect(act()).rejects.toBeInstanceOf(ValidationError);
      await expect(act()).rejects.toThrow(message);
      expect(await db().operation.count()).toBe(0);
      expect(await db().auditLog.count()).toBe(0);
    });

    it("refuses unknown, removed and busy workspaces", async () => {
      const [live, removed] = await seed([{ name: "live" }, { name: "gone", status: "removed" }]);

      await expect(enqueueReprovision(db(), { workspaceIds: [NO_SUCH] }, ACTOR)).rejects.toBeInstanceOf(NotFoundError);
      await expect(enqueueReprovision(db(), { workspaceIds: [removed!] }, ACTOR)).rejects.toThrow(/Removed workspaces cannot be reprovisioned: gone/);
      const first = await enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR);
      await expect(enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR)).rejects.toThrow(
        new ConflictError(`Already queued or running in another operation: live (operation ${first.operationId}). Wait for it or cancel it first.`),
      );
      await expect(enqueueReprovision(db(), { allStale: true }, ACTOR)).rejects.toThrow(/all 1 stale workspaces are already queued or running/);
    });
  });

  it("enqueues a sync with its audit row", async () => {
    const { operationId } = await enqueueSync(db(), ACTOR);

    expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({ kind: "sync", status: "queued", total: 0 });
    expect((await listAuditEntries(db(), {})).rows[0]).toMatchObject({ action: "operation.sync_requested", targetId: operationId });
    expect(await getOperationProgress(db(), operationId)).toMatchObject({ kind: "sync", total: 0, percent: 0, items: [] });
  });

  describe("cancelOperation", () => {
    it("cancels a queued operation at once", async () => {
      const ids = await seed([{ name: "a" }, { name: "b" }]);
      const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);

      expect(await cancelOperation(db(), operationId, "bob@example.com")).toEqual({ operationId, status: "cancelled", cancelRequested: true });

      const progress = await getOperationProgress(db(), operationId);
      expect(progress).toMatchObject({ status: "cancelled", cancelRequested: true, cancelled: 2, queued: 0, percent: 100 });
      expect(progress?.finishedAt).toBeInstanceOf(Date);
      expect((await listAuditEntries(db(), { action: "operation.cancel_requested" })).rows[0]).toMatchObject({
        actor: "bob@example.com",
        before: { status: "queued" },
        after: { status: "cancelled", cancelRequested: true },
      });
      await expect(cancelOperation(db(), operationId, "bob@example.com")).rejects.toThrow(/already finished \(cancelled\)/);
    });

    it("only flags a running operation (the runner stops between items), once", async () => {
      const ids = await seed([{ name: "a" }]);
      const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);
      await db().operation.update({ where: { id: operationId }, data: { status: "running" } });

      await cancelOperation(db(), operationId, ACTOR);
      await cancelOperation(db(), operationId, ACTOR);

      expect(await getOperationProgress(db(), operationId)).toMatchObject({ status: "running", cancelRequested: true, queued: 1 });
      expect(await db().auditLog.count({ where: { action: "operation.cancel_requested" } })).toBe(1);
    });

    it("does not know an unknown operation", async () => {
      await expect(cancelOperation(db(), NO_SUCH, ACTOR)).rejects.toBeInstanceOf(NotFoundError);
      await expect(cancelOperation(db(), "nope", ACTOR)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("getOperationProgress", () => {
    async function operationWith(statuses: OperationItemStatus[]) {
      const ids = await seed(statuses.map((_, i) => ({ name: `ws-${i}` })));
      const { operationId } = await enqueueReprovision(db(), { workspaceIds: ids }, ACTOR);
      const rows = await db().operationItem.findMany({ where: { operationId }, orderBy: { id: "asc" } });
      for (const [i, row] of rows.entries()) {
        const status = statuses[i]!;
        await db().operationItem.update({ where: { id: row.id }, data: { status, error: status === "failed" ? `boom ${i}` : null } });
      }
      await db().operation.update({
        where: { id: operationId },
        data: { status: "running", succeeded: statuses.filter((s) => s === "succeeded").length, failed: statuses.filter((s) => s === "failed").length },
      });
      return { operationId, ids };
    }

    it("counts items by status and lists failures first", async () => {
      const { operationId, ids } = await operationWith(["succeeded", "failed", "running", "queued", "failed", "succeeded", "queued", "queued"]);

      const progress = await getOperationProgress(db(), operationId);

      expect(progress).toMatchObject({ total: 8, succeeded: 2, failed: 2, running: 1, queued: 3, cancelled: 0, percent: 50, itemsOmitted: 0, requestedBy: ACTOR });
      expect(progress?.items.map((item) => [item.workspaceName, item.status, item.error])).toEqual([
        ["ws-1", "failed", "boom 1"],
        ["ws-4", "failed", "boom 4"],
        ["ws-2", "running", null],
        ["ws-0", "succeeded", null],
        ["ws-3", "queued", null],
        ["ws-5", "succeeded", null],
        ["ws-6", "queued", null],
        ["ws-7", "queued", null],
      ]);
      expect(progress?.items[0]?.workspaceId).toBe(ids[1]);
    });

    it("caps the item list but never drops a failure in favour of others", async () => {
      const { operationId } = await operationWith(["succeeded", "succeeded", "failed", "succeeded", "failed"]);

      const progress = await getOperationProgress(db(), operationId, { itemLimit: 2 });

      expect(progress?.items.map((item) => item.status)).toEqual(["failed", "failed"]);
      expect(progress?.itemsOmitted).toBe(3);
    });

    it("is null for an unknown or malformed id", async () => {
      expect(await getOperationProgress(db(), NO_SUCH)).toBeNull();
      expect(await getOperationProgress(db(), "x")).toBeNull();
    });

    it("lists recent operations newest first with their counters", async () => {
      const { operationId } = await operationWith(["succeeded", "queued"]);
      const sync = await enqueueSync(db(), ACTOR);

      const recent = await listRecentOperations(db(), 10);

      expect(recent.map((operation) => operation.id)).toEqual([sync.operationId, operationId]);
      expect(recent[1]).toMatchObject({ succeeded: 1, queued: 1, percent: 50 });
      expect(recent[1]).not.toHaveProperty("items");
    });
  });

  describe("recoverInterruptedOperations", () => {
    it("fails the unfinished items of operations a dead process left, releases their locks and closes them", async () => {
      const ids = await seed([{ name: "done" }, { name: "mid-run" }, { name: "waiting" }, { name: "never-started" }, { name: "to-cancel" }]);
      const running = await enqueueReprovision(db(), { workspaceIds: ids.slice(0, 3) }, ACTOR);
      const queued = await enqueueReprovision(db(), { workspaceIds: [ids[3]!] }, ACTOR);
      const cancelling = await enqueueReprovision(db(), { workspaceIds: [ids[4]!] }, ACTOR);
      const [done, midRun] = await db().operationItem.findMany({ where: { operationId: running.operationId }, orderBy: { id: "asc" } });
      await db().operationItem.update({ where: { id: done!.id }, data: { status: "succeeded" } });
      await db().operationItem.update({ where: { id: midRun!.id }, data: { status: "running" } });
      await db().workspace.update({ where: { id: ids[1] }, data: { lockedBy: midRun!.id.toString(), lockedAt: new Date() } });
      await db().workspace.update({ where: { id: ids[0] }, data: { lockedBy: "someone-else", lockedAt: new Date() } });
      await db().operation.update({ where: { id: running.operationId }, data: { status: "running", succeeded: 1 } });
      await db().operation.update({ where: { id: cancelling.operationId }, data: { status: "running", cancelRequested: true } });
      const finished = await enqueueSync(db(), ACTOR);
      await db().operation.update({ where: { id: finished.operationId }, data: { status: "succeeded" } });

      const closed = await recoverInterruptedOperations(db());

      expect(new Set(closed)).toEqual(new Set([running.operationId, queued.operationId, cancelling.operationId]));
      expect(await getOperationProgress(db(), running.operationId)).toMatchObject({
        status: "partially_failed",
        succeeded: 1,
        failed: 2,
        queued: 0,
        running: 0,
        percent: 100,
        error: INTERRUPTED_ERROR,
      });
      expect((await items(running.operationId)).map((item) => [item.status, item.error])).toEqual([
        ["succeeded", null],
        ["failed", INTERRUPTED_ERROR],
        ["failed", INTERRUPTED_ERROR],
      ]);
      expect(await getOperationProgress(db(), queued.operationId)).toMatchObject({ status: "failed", failed: 1 });
      expect(await getOperationProgress(db(), cancelling.operationId)).toMatchObject({ status: "cancelled" });
      expect(await getOperationProgress(db(), finished.operationId)).toMatchObject({ status: "succeeded", error: null });
      // Only the lock the interrupted item held is released.
      expect((await db().workspace.findUniqueOrThrow({ where: { id: ids[1] } })).lockedBy).toBeNull();
      expect((await db().workspace.findUniqueOrThrow({ where: { id: ids[0] } })).lockedBy).toBe("someone-else");
      expect(await db().auditLog.count({ where: { action: "operation.interrupted" } })).toBe(3);
      expect(await recoverInterruptedOperations(db())).toEqual([]);
    });
  });
});
