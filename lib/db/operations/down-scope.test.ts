import { describe, expect, it } from "vitest";

import { listAuditEntries } from "@/lib/db/audit-log";
import { ValidationError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { ACTOR, PIN_DIGEST, useOperationsDatabase } from "@/test/operation-fixtures";

import { countDownWorkspaces } from "./down-scope";
import { enqueueReprovision } from "./enqueue-reprovision";

describe.each(availableBackends())("the 'reprovision down' scope on %s", (backend) => {
  const { db, seed, items } = useOperationsDatabase(backend);

  it("queues every down workspace of any template, whatever its digest, and counts them per template", async () => {
    const ids = await seed([
      { name: "down-h1", status: "down" },
      { name: "online-h", status: "online" },
      { name: "down-c1", runtime: "codex", status: "down", digest: PIN_DIGEST },
      { name: "down-unpinned", runtime: "langgraph", status: "down", digest: null },
      { name: "offline-h", status: "offline" },
      { name: "removed-h", status: "removed" },
    ]);

    expect(await countDownWorkspaces(db())).toEqual([
      { template: "codex", down: 1 },
      { template: "hermes", down: 1 },
      { template: "langgraph", down: 1 },
    ]);
    const all = await enqueueReprovision(db(), { allDown: true, reason: "host rebooted" }, ACTOR);

    expect(all).toMatchObject({ total: 3, queued: 3, skipped: 0 });
    expect((await items(all.operationId)).map((item) => item.workspaceId)).toEqual([ids[0], ids[2], ids[3]]);
    expect(await db().operation.findUniqueOrThrow({ where: { id: all.operationId } })).toMatchObject({
      kind: "bulk_reprovision",
      templateName: null,
    });
    expect((await listAuditEntries(db(), { action: "operation.reprovision_requested" })).rows[0]?.after).toMatchObject({
      allDown: true,
      template: null,
      total: 3,
    });
  });

  it("takes one template, and leaves workspaces another operation has to it", async () => {
    const ids = await seed([
      { name: "down-h1", status: "down" },
      { name: "down-h2", status: "down" },
      { name: "down-c1", runtime: "codex", status: "down" },
    ]);
    await enqueueReprovision(db(), { workspaceIds: [ids[0]!] }, ACTOR);

    const hermes = await enqueueReprovision(db(), { allDown: true, template: "hermes" }, ACTOR);

    expect(hermes).toMatchObject({
      total: 2,
      queued: 1,
      skipped: 1,
      skippedWorkspaces: [{ workspaceName: "down-h1" }],
    });
    expect(await db().operation.findUniqueOrThrow({ where: { id: hermes.operationId } })).toMatchObject({
      templateName: "hermes",
    });
    await expect(enqueueReprovision(db(), { allDown: true, template: "hermes" }, ACTOR)).rejects.toThrow(
      /all 2 down workspaces of hermes are already queued or running in another operation/,
    );
  });

  it("says so when nothing is down, and records nothing", async () => {
    await seed([{ name: "fine" }]);

    await expect(enqueueReprovision(db(), { allDown: true }, ACTOR)).rejects.toThrow(
      new ValidationError("Nothing to reprovision: there are no down workspaces."),
    );
    expect(await db().operation.count()).toBe(0);
    expect(await countDownWorkspaces(db())).toEqual([]);
  });
});
