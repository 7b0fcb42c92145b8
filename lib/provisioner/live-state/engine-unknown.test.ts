import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { markEngineUnknown } from "./engine-unknown";

describe.each(availableBackends())("markEngineUnknown on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["workspaces", "audit_log"] });
  const options = { actor: "system:live-state", endpoint: "unix:///gone.sock", reason: "connect ENOENT" };
  const row = (name: string, data: Record<string, unknown>) =>
    db().workspace.create({ data: { name, runtime: "hermes", containerId: `c-${name}`, ...data } });

  it("marks the rows with a container unknown, except deliberate stops, removed, locked and container-less rows", async () => {
    const online = await row("online", { status: "online" });
    const down = await row("down", { status: "down" });
    const degraded = await row("degraded", { status: "degraded" });
    const kept = await Promise.all([
      row("paused", { status: "paused" }),
      row("hibernated", { status: "hibernated" }),
      row("hibernating", { status: "hibernating" }),
      row("removed", { status: "removed" }),
      row("locked", { status: "provisioning", lockedBy: "op-1", lockedAt: new Date() }),
      row("none", { status: "down", containerId: null }),
    ]);

    expect(await markEngineUnknown(db(), options)).toBe(3);

    for (const changed of [online, down, degraded])
      expect(await db().workspace.findUnique({ where: { id: changed.id } })).toMatchObject({ status: "unknown" });
    for (const same of kept)
      expect((await db().workspace.findUnique({ where: { id: same.id } }))?.status).toBe(same.status);
    expect(await db().auditLog.findMany()).toEqual([
      expect.objectContaining({
        actor: "system:live-state",
        action: "workspace.engine_unreachable",
        reason: "connect ENOENT",
        after: { endpoint: "unix:///gone.sock", unknown: 3 },
      }),
    ]);

    // Again while still unreachable: nothing to change, no audit row.
    expect(await markEngineUnknown(db(), options)).toBe(0);
    expect(await db().auditLog.count()).toBe(1);
  });

  it("takes a lock left by a dead run (older than staleLockMs) as free", async () => {
    const stale = await row("stale-lock", {
      status: "online",
      lockedBy: "op-dead",
      lockedAt: new Date(Date.now() - 60 * 60 * 1000),
    });
    expect(await markEngineUnknown(db(), { ...options, staleLockMs: 30 * 60 * 1000 })).toBe(1);
    expect(await db().workspace.findUnique({ where: { id: stale.id } })).toMatchObject({ status: "unknown" });
  });
});
