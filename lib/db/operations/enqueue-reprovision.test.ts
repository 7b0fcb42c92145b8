import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { listStaleWorkspaceIds } from "@/lib/db/workspaces";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { availableBackends } from "@/test/databases";
import { ACTOR, NO_SUCH_ID, PIN_DIGEST, useOperationsDatabase } from "@/test/operation-fixtures";

describe.each(availableBackends())("enqueueReprovision on %s", (backend) => {
  const { db, seed, items } = useOperationsDatabase(backend);

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
    await seed([{ name: "on-pin", digest: PIN_DIGEST }]);

    await expect(act()).rejects.toBeInstanceOf(ValidationError);
    await expect(act()).rejects.toThrow(message);
    expect(await db().operation.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("refuses unknown, removed and busy workspaces", async () => {
    const [live, removed] = await seed([{ name: "live" }, { name: "gone", status: "removed" }]);

    await expect(enqueueReprovision(db(), { workspaceIds: [NO_SUCH_ID] }, ACTOR)).rejects.toBeInstanceOf(NotFoundError);
    await expect(enqueueReprovision(db(), { workspaceIds: [removed!] }, ACTOR)).rejects.toThrow(/Removed workspaces cannot be reprovisioned: gone/);
    const first = await enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR);
    await expect(enqueueReprovision(db(), { workspaceIds: [live!] }, ACTOR)).rejects.toThrow(
      new ConflictError(`Already queued or running in another operation: live (operation ${first.operationId}). Wait for it or cancel it first.`),
    );
    await expect(enqueueReprovision(db(), { allStale: true }, ACTOR)).rejects.toThrow(/all 1 stale workspaces are already queued or running/);
  });
});
