import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import type { Db } from "@/lib/db/client";
import { listStaleWorkspaceIds } from "@/lib/db/stale-fleet";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { availableBackends, type Backend } from "@/test/databases";
import { ACTOR, NO_SUCH_ID, PIN_DIGEST, useOperationsDatabase } from "@/test/operation-fixtures";

import { enqueueReprovision } from "./enqueue-reprovision";

describe.each(availableBackends())("enqueueReprovision on %s", (backend) => {
  const { db, seed, items } = useOperationsDatabase(backend);

  it("records one workspace as a 'reprovision' with its item and audit row", async () => {
    const [id] = await seed([{ name: "one" }]);

    const result = await enqueueReprovision(db(), { workspaceIds: [id!], reason: " hotfix " }, ACTOR);

    const { operationId } = result;
    expect(result).toEqual({ operationId, total: 1, queued: 1, skipped: 0, skippedWorkspaces: [] });
    const operation = await db().operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(operation).toMatchObject({
      kind: "reprovision",
      status: "queued",
      requestedBy: ACTOR,
      templateName: "hermes",
      reason: "hotfix",
      total: 1,
      concurrency: 4,
    });
    expect(await items(operationId)).toEqual([{ workspaceId: id, status: "queued", error: null }]);
    const [audit] = (await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows;
    expect(audit).toMatchObject({
      actor: ACTOR,
      targetType: "operation",
      targetId: operationId,
      templateName: "hermes",
      reason: "hotfix",
    });
    expect(audit?.after).toMatchObject({
      kind: "reprovision",
      total: 1,
      queued: 1,
      skipped: 0,
      workspaceIds: [id],
      concurrency: 4,
    });
  });

  it("records several workspaces (deduplicated) as a 'bulk_reprovision'", async () => {
    const ids = await seed([{ name: "a" }, { name: "b", runtime: "codex" }]);

    const { operationId, total } = await enqueueReprovision(
      db(),
      { workspaceIds: [ids[0]!, ids[1]!, ids[0]!.toUpperCase()], concurrency: 2 },
      ACTOR,
    );

    expect(total).toBe(2);
    expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({
      kind: "bulk_reprovision",
      templateName: null,
      concurrency: 2,
    });
    expect((await items(operationId)).map((item) => item.workspaceId)).toEqual(ids);
  });

  it("enqueues every live stale workspace, or those of one template, in one statement", async () => {
    await seed([
      { name: "stale-h1" },
      { name: "on-pin", digest: PIN_DIGEST },
      { name: "unknown", digest: null },
      { name: "removed", status: "removed" },
      { name: "stale-c1", runtime: "codex" },
      { name: "unpinned", runtime: "langgraph" },
      { name: "stale-h2" },
    ]);

    const perTemplate = await enqueueReprovision(db(), { allStale: true, template: "codex" }, ACTOR);
    const rest = await enqueueReprovision(db(), { allStale: true, reason: "weekly" }, ACTOR);

    expect(perTemplate.total).toBe(1);
    expect(await db().operation.findUniqueOrThrow({ where: { id: perTemplate.operationId } })).toMatchObject({
      kind: "bulk_reprovision",
      templateName: "codex",
      total: 1,
    });
    // codex's stale workspace is already queued in the first operation, so the second leaves it to that one.
    const hermesStale = await listStaleWorkspaceIds(db(), "hermes");
    expect(rest).toMatchObject({ total: 3, queued: 2, skipped: 1, skippedWorkspaces: [{ workspaceName: "stale-c1" }] });
    const restItems = await items(rest.operationId);
    expect(restItems.filter((item) => item.status === "queued").map((item) => item.workspaceId)).toEqual(hermesStale);
    expect((await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows[0]?.after).toMatchObject({
      allStale: true,
      template: null,
      total: 3,
      queued: 2,
    });
  });

  it.each<[string, () => Promise<unknown>, RegExp]>([
    ["an empty selection", () => enqueueReprovision(db(), { workspaceIds: [] }, ACTOR), /Nothing to reprovision/],
    ["no selection at all", () => enqueueReprovision(db(), { template: "hermes" }, ACTOR), /Nothing to reprovision/],
    [
      "all stale when nothing is stale",
      () => enqueueReprovision(db(), { allStale: true, template: "hermes" }, ACTOR),
      /no stale workspaces of hermes/,
    ],
    [
      "an id that is no UUID",
      () => enqueueReprovision(db(), { workspaceIds: ["ws-1"] }, ACTOR),
      /Not a workspace id: ws-1/,
    ],
    [
      "a reason over 500 characters",
      () => enqueueReprovision(db(), { allStale: true, reason: "x".repeat(501) }, ACTOR),
      /keep it to 500/,
    ],
  ])("rejects %s with a ValidationError and writes nothing", async (_name, act, message) => {
    await seed([{ name: "on-pin", digest: PIN_DIGEST }]);

    await expect(act()).rejects.toBeInstanceOf(ValidationError);
    await expect(act()).rejects.toThrow(message);
    expect(await db().operation.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("refuses unknown, removed and busy workspaces", async () => {
    const [live, removed] = await seed([{ name: "live" }, { name: "gone", status: "removed" }]);

    await expect(enqueueReprovision(db(), { workspaceIds: [NO_SUCH_ID] }, ACTOR)).rejects.toBeInstanceOf(NotFoundError);
    await expect(enqueueReprovision(db(), { workspaceIds: [removed!] }, ACTOR)).rejects.toThrow(
      /Removed workspaces cannot be reprovisioned: gone/,
    );
    const first = await enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR);
    await expect(enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR)).rejects.toThrow(
      new ConflictError(
        `Already queued or running in another operation: live (operation ${first.operationId}). Wait for it or cancel it first.`,
      ),
    );
    await expect(enqueueReprovision(db(), { allStale: true }, ACTOR)).rejects.toThrow(
      /all 1 stale workspaces are already queued or running/,
    );
  });

  it("skips workspaces another operation has, records them as skipped items and names them", async () => {
    const ids = await seed([{ name: "s1" }, { name: "s2" }, { name: "s3" }, { name: "s4", runtime: "codex" }]);
    const first = await enqueueReprovision(db(), { workspaceIds: [ids[1]!, ids[3]!] }, ACTOR);

    const selected = await enqueueReprovision(db(), { workspaceIds: [ids[0]!, ids[1]!] }, ACTOR);
    const stale = await enqueueReprovision(db(), { allStale: true }, ACTOR);

    const busy = `skipped: already queued or running in operation ${first.operationId}`;
    expect(selected).toMatchObject({
      total: 2,
      queued: 1,
      skipped: 1,
      skippedWorkspaces: [{ workspaceId: ids[1], workspaceName: "s2", reason: busy }],
    });
    expect(await items(selected.operationId)).toEqual([
      { workspaceId: ids[0], status: "queued", error: null },
      { workspaceId: ids[1], status: "skipped", error: null },
    ]);
    expect(
      await db().operationItem.findFirst({ where: { operationId: selected.operationId, status: "skipped" } }),
    ).toMatchObject({ outcome: busy });
    // s1 is now queued by `selected`, s2 and s4 by `first`: only s3 is left for "all stale".
    expect(stale).toMatchObject({ total: 4, queued: 1, skipped: 3 });
    expect(stale.skippedWorkspaces.map((row) => row.workspaceName)).toEqual(["s1", "s2", "s4"]);
    expect(await db().operation.findUniqueOrThrow({ where: { id: stale.operationId } })).toMatchObject({ total: 4 });
    const [audit] = (await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows;
    expect(audit?.after).toMatchObject({ total: 4, queued: 1, skipped: 3 });
  });

  it("queues each workspace once when two bulk enqueues run at the same moment", async () => {
    await seed(Array.from({ length: 12 }, (_, i) => ({ name: `race-${i}`, runtime: i % 2 ? "codex" : "hermes" })));

    const results = await startTogether(backend, db(), () => [
      enqueueReprovision(db(), { allStale: true }, ACTOR),
      enqueueReprovision(db(), { allStale: true }, "bob@example.com"),
    ]);

    const won = results.filter((result) => result.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ value: { total: 12, queued: 12, skipped: 0 } });
    const lost = results.find((result) => result.status === "rejected");
    expect(lost?.reason).toBeInstanceOf(ValidationError);
    expect(String(lost?.reason)).toMatch(/all 12 stale workspaces are already queued or running/);
    const perWorkspace = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM operation_items WHERE status IN ('queued', 'running') GROUP BY workspace_id`;
    expect(perWorkspace).toHaveLength(12);
    expect(perWorkspace.every((row) => row.n === 1)).toBe(true);
    expect(await db().operation.count()).toBe(1);
  });

  it("lets the database refuse a second active item for a workspace, whoever inserts it", async () => {
    const [id] = await seed([{ name: "one" }]);
    const first = await enqueueReprovision(db(), { workspaceIds: [id!] }, ACTOR);
    const other = await db().operation.create({ data: { kind: "reprovision", requestedBy: ACTOR } });

    await expect(db().$executeRaw`
      INSERT INTO operation_items (operation_id, workspace_id) VALUES (${other.id}::uuid, ${id}::uuid)`).rejects.toThrow(
      /idx_operation_items_active_workspace|unique/i,
    );
    await db().operationItem.updateMany({ where: { operationId: first.operationId }, data: { status: "succeeded" } });
    await expect(enqueueReprovision(db(), { workspaceIds: [id!] }, ACTOR)).resolves.toMatchObject({ queued: 1 });
  });
});

/**
 * Starts the calls so that they really overlap on PostgreSQL: a separate transaction holds
 * runtime_image_pins until both have reached their INSERT … SELECT, then lets them go at once.
 * PGlite has one connection, so its transactions queue behind each other by construction.
 */
async function startTogether<T>(
  backend: Backend,
  db: Db,
  start: () => Promise<T>[],
): Promise<PromiseSettledResult<T>[]> {
  if (backend === "pglite") return Promise.allSettled(start());
  let calls: Promise<PromiseSettledResult<T>[]> | undefined;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`LOCK TABLE runtime_image_pins IN ACCESS EXCLUSIVE MODE`;
      calls = Promise.allSettled(start());
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'runtime_image_pins'::regclass`;
        if (row!.n >= 2) break;
        if (Date.now() > deadline) throw new Error("the two enqueues never both waited for runtime_image_pins");
        await sleep(10);
      }
    },
    { timeout: 60_000 },
  );
  return calls!;
}
