import { describe, expect, it } from "vitest";

import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { recordProvisionFailure, recordProvisionSuccess } from "./provision-result";
import { acquireWorkspaceLock, inTransaction, releaseWorkspaceLock, STALE_LOCK_MS } from "./workspace-state";

const DIGEST = `sha256:${"d".repeat(64)}`;

describe.each(availableBackends())("workspace state on %s", (backend) => {
  const db = useTestDatabase(backend);

  const workspace = (data: { status?: "online" | "offline" | "removed" } = {}) =>
    db().workspace.create({
      data: {
        name: `ws-${Math.random().toString(16).slice(2, 8)}`,
        runtime: "hermes",
        status: data.status ?? "online",
        runtimeImageDigest: DIGEST,
      },
    });

  it("takes a free lock, reports what it replaced and refuses a second holder", async () => {
    const row = await workspace();
    const locked = await acquireWorkspaceLock(db(), row.id, { token: "item-1" });
    expect(locked).toMatchObject({
      id: row.id,
      previousStatus: "online",
      runtimeImageDigest: DIGEST,
      lockToken: "item-1",
    });
    expect(await db().workspace.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "provisioning",
      lockedBy: "item-1",
    });

    await expect(acquireWorkspaceLock(db(), row.id, { token: "item-2" })).rejects.toThrow(
      new ConflictError(`a reprovision of ${row.name} is already running (started 0 min ago)`),
    );
    expect(await releaseWorkspaceLock(db(), row.id, "item-2")).toBe(false); // not the holder
    expect(await releaseWorkspaceLock(db(), row.id, "item-1")).toBe(true);
    await expect(acquireWorkspaceLock(db(), row.id, { token: "item-2" })).resolves.toMatchObject({
      previousStatus: "provisioning",
    });
  });

  it("lets exactly one of many concurrent callers win", async () => {
    const row = await workspace();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => acquireWorkspaceLock(db(), row.id, { token: `t${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
  });

  it("takes over a stale lock but not a fresh one", async () => {
    const row = await workspace();
    const now = new Date();
    await db().workspace.update({
      where: { id: row.id },
      data: { lockedBy: "dead", lockedAt: new Date(now.getTime() - STALE_LOCK_MS - 1000) },
    });
    await expect(acquireWorkspaceLock(db(), row.id, { token: "new", now })).resolves.toMatchObject({
      lockToken: "new",
    });
    await expect(
      acquireWorkspaceLock(db(), row.id, { token: "newer", now, staleAfterMs: 60_000 }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("refuses unknown and removed workspaces", async () => {
    await expect(
      acquireWorkspaceLock(db(), "00000000-0000-4000-8000-000000000000", { token: "x" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const removed = await workspace({ status: "removed" });
    await expect(acquireWorkspaceLock(db(), removed.id, { token: "x" })).rejects.toThrow(/was removed/);
  });

  it("records success and failure together with their audit rows, releasing the lock", async () => {
    const row = await workspace();
    await acquireWorkspaceLock(db(), row.id, { token: "ok" });
    await recordProvisionSuccess(db(), {
      workspaceId: row.id,
      lockToken: "ok",
      image: "img@" + DIGEST,
      digest: DIGEST,
      containerId: "c1",
      containerName: "ws-x",
      audit: { actor: "a@b.c", action: "workspace.reprovision", targetType: "workspace", targetId: row.id },
    });
    expect(await db().workspace.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "online",
      containerId: "c1",
      lockedBy: null,
      lastError: null,
    });

    await acquireWorkspaceLock(db(), row.id, { token: "bad" });
    await recordProvisionFailure(db(), {
      workspaceId: row.id,
      lockToken: "bad",
      status: "online",
      lastError: "pull failed",
      audit: { actor: "a@b.c", action: "workspace.reprovision_failed", targetType: "workspace", targetId: row.id },
    });
    expect(await db().workspace.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "online",
      lastError: "pull failed",
      lockedBy: null,
    });
    expect(
      (await db().auditLog.findMany({ where: { targetId: row.id }, orderBy: { id: "asc" } })).map((a) => a.action),
    ).toEqual(["workspace.reprovision", "workspace.reprovision_failed"]);
  });

  it("joins a transaction it is given instead of opening its own", async () => {
    const row = await workspace();
    await acquireWorkspaceLock(db(), row.id, { token: "tx" });
    const failing = db().$transaction(async (tx) => {
      await recordProvisionFailure(tx, {
        workspaceId: row.id,
        lockToken: "tx",
        status: "offline",
        lastError: "x",
        audit: { actor: "a@b.c", action: "workspace.reprovision_failed", targetType: "workspace", targetId: row.id },
      });
      throw new Error("roll it all back");
    });
    await expect(failing).rejects.toThrow("roll it all back");
    expect(await db().workspace.findUnique({ where: { id: row.id } })).toMatchObject({
      status: "provisioning",
      lockedBy: "tx",
    });
    expect(await db().auditLog.count({ where: { targetId: row.id } })).toBe(0);
    expect(await inTransaction(db(), async (tx) => tx.workspace.count({ where: { id: row.id } }))).toBe(1);
  });
});
