import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { getOperationProgress } from "@/lib/db/operations/get-operation-progress";
import { staleSummary } from "@/lib/db/stale-fleet";
import { DockerOperationError, ReprovisionFailedError } from "@/lib/domain/errors";
import type { OperationProgress } from "@/lib/domain/operation-progress";
import { Prisma } from "@/lib/generated/prisma/client";
import { containerName, LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import type { ImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import type { ReprovisionDeps } from "@/lib/provisioner/reprovision/reprovision";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  inspectRaw,
  pushTemplateImage,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { dockerCli, removeLocalImage, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { runOperation, startOperation, type ReprovisionWorker, type SyncWorker } from "./run-operation";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const ACTOR = "olga@example.com";

/** A fake worker BESIDE the real reprovisionWorkspace (see the dockerd suite below): records calls and in-flight peaks. */
function recordingWorker(behave: (name: string, call: number) => Promise<void> = () => sleep(5)) {
  const state = {
    calls: [] as string[],
    inFlight: 0,
    maxInFlight: 0,
    resolvers: new Set<ImageResolver | undefined>(),
    deps: [] as ReprovisionDeps[],
  };
  const names = new Map<string, string>();
  const worker: ReprovisionWorker = async (workspaceId, deps) => {
    const name = names.get(workspaceId) ?? workspaceId;
    const call = state.calls.push(name);
    state.resolvers.add(deps.resolver);
    state.deps.push(deps);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      await behave(name, call);
    } finally {
      state.inFlight--;
    }
    return {
      workspaceId,
      image: `registry.test/workspace-template-hermes@${A}`,
      fromDigest: B,
      toDigest: A,
      containerId: `c-${name}`,
      containerName: `ws-${name}`,
    };
  };
  return { worker, state, names };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.each(availableBackends())("bulk operation runner (injected worker) on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: ["operations", "operation_items", "workspaces", "runtime_image_pins", "audit_log"],
  });

  beforeEach(async () => {
    await db().$executeRawUnsafe("DROP TRIGGER IF EXISTS fp_test_fail ON operation_items");
    await db().$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${A})`;
  });

  /** `count` stale hermes workspaces queued in one operation; the worker learns their names. */
  async function enqueue(count: number, names: Map<string, string>, concurrency: number) {
    await db().$executeRaw`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status, created_at)
      SELECT 'ws-' || lpad(g::text, 3, '0'), 'hermes', ${B}, 'online', timestamptz '2026-01-01' + (g || ' seconds')::interval
      FROM generate_series(1, ${count}) g`;
    for (const row of await db().workspace.findMany({ select: { id: true, name: true } })) names.set(row.id, row.name);
    return (await enqueueReprovision(db(), { allStale: true, concurrency, reason: "roll out A" }, ACTOR)).operationId;
  }

  const progress = async (id: string) => (await getOperationProgress(db(), id)) as OperationProgress;

  it("never runs more items at once than the operation's concurrency, and shares one resolver", async () => {
    // The first three hold until all three run at once (a busy machine may start items slower than
    // a short sleep lasts), so "reaches 3" is proven by events, and "never more" by the maximum.
    const { worker, state, names } = recordingWorker(async (_name, call) => {
      if (call <= 3) await until(async () => state.inFlight >= 3, "three items in flight at once", 60_000);
      await sleep(5 + Math.random() * 10);
    });
    const id = await enqueue(12, names, 3);

    const status = await runOperation(id, { db: db(), reprovision: worker });

    expect(status).toBe("succeeded");
    expect(state.maxInFlight).toBe(3);
    expect(state.calls).toHaveLength(12);
    expect(state.resolvers.size).toBe(1);
    expect(state.deps[0]).toMatchObject({
      actor: ACTOR,
      reason: "roll out A",
      operationItemId: expect.stringMatching(/^\d+$/),
    });
    const done = await progress(id);
    expect(done).toMatchObject({
      status: "succeeded",
      total: 12,
      succeeded: 12,
      failed: 0,
      queued: 0,
      running: 0,
      percent: 100,
    });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.items[0]).toMatchObject({
      status: "succeeded",
      fromDigest: B,
      toDigest: A,
      image: `registry.test/workspace-template-hermes@${A}`,
      error: null,
    });
    const [finished] = await db().auditLog.findMany({ where: { action: "operation.finished", targetId: id } });
    expect(finished?.after).toMatchObject({ status: "succeeded", succeeded: 12, failed: 0, cancelled: 0 });
  });

  it("runs one item at a time with concurrency 1", async () => {
    const { worker, state, names } = recordingWorker();
    const id = await enqueue(4, names, 1);

    await runOperation(id, { db: db(), reprovision: worker });

    expect(state.maxInFlight).toBe(1);
    expect(state.calls).toEqual(["ws-001", "ws-002", "ws-003", "ws-004"]);
  });

  it("keeps going past failures and lists every one of them on its item", async () => {
    const { worker, names } = recordingWorker(async (name) => {
      await sleep(2);
      if (name === "ws-002") throw new ReprovisionFailedError("pull failed: manifest unknown", "old_running");
      if (name === "ws-003") throw new DockerOperationError("transport is closing");
      if (name === "ws-005") throw new TypeError("Cannot read properties of undefined (reading 'id')");
      if (name === "ws-007") throw "a bare string";
      if (name === "ws-008") throw new Error("");
    });
    const id = await enqueue(9, names, 4);

    const status = await runOperation(id, { db: db(), reprovision: worker });

    expect(status).toBe("partially_failed");
    const done = await progress(id);
    expect(done).toMatchObject({ total: 9, succeeded: 4, failed: 5, percent: 100 });
    // What happened, and where it left the workspace: known only when the error says so.
    const unknown = "state unknown, check the workspace";
    expect(done.items.slice(0, 5).map((item) => [item.workspaceName, item.status, item.error, item.outcome])).toEqual([
      ["ws-002", "failed", "pull failed: manifest unknown", "still running its old image"],
      ["ws-003", "failed", "transport is closing", unknown],
      ["ws-005", "failed", "Cannot read properties of undefined (reading 'id')", unknown],
      ["ws-007", "failed", "a bare string", unknown],
      ["ws-008", "failed", "failed without a message", unknown],
    ]);
    expect(done.items[5]).toMatchObject({ status: "succeeded", outcome: "running its new image", error: null });
    // A failed item still shows where its workspace stood.
    expect(done.items[0]).toMatchObject({ fromDigest: B, toDigest: null });
  });

  it("ends 'failed' when every item failed", async () => {
    const { worker, names } = recordingWorker(async () => {
      throw new DockerOperationError("daemon said no");
    });
    const id = await enqueue(3, names, 2);

    expect(await runOperation(id, { db: db(), reprovision: worker })).toBe("failed");
    expect(await progress(id)).toMatchObject({ failed: 3, succeeded: 0 });
  });

  it("honours a cancel between items: running ones finish, the rest are cancelled", async () => {
    let id = "";
    let cancelCommitted = false;
    let startedAfterCancel = 0;
    const { worker, state, names } = recordingWorker(async (_name, call) => {
      if (cancelCommitted) startedAfterCancel++;
      if (call === 3) {
        await cancelOperation(db(), id, "bob@example.com");
        cancelCommitted = true;
      }
      await sleep(15);
    });
    id = await enqueue(10, names, 2);

    const status = await runOperation(id, { db: db(), reprovision: worker });

    expect(status).toBe("cancelled");
    const done = await progress(id);
    // Counted in events, not time: once the cancel is committed, only the other worker (concurrency 2)
    // may start one item it had already decided to take; nothing else starts.
    expect(state.calls.length).toBeGreaterThanOrEqual(3);
    expect(startedAfterCancel).toBeLessThanOrEqual(1);
    expect(state.calls.length).toBeLessThan(10);
    expect(done).toMatchObject({
      status: "cancelled",
      cancelRequested: true,
      succeeded: state.calls.length,
      failed: 0,
      running: 0,
      queued: 0,
    });
    expect(done).toMatchObject({ cancelledBy: "bob@example.com", cancelledAt: expect.any(Date) });
    expect(done.cancelled).toBe(10 - state.calls.length);
    expect(done.percent).toBe(100);
    expect(
      done.items
        .filter((item) => item.status === "cancelled")
        .every((item) => /not started: the operation was cancelled/.test(item.outcome ?? "")),
    ).toBe(true);
  });

  it("records a cancel that came after the last item started, which cancelled nothing", async () => {
    let id = "";
    const { worker, state, names } = recordingWorker(async (_name, call) => {
      if (call === 3) await cancelOperation(db(), id, "bob@example.com");
      await sleep(5);
    });
    id = await enqueue(3, names, 3);

    const status = await runOperation(id, { db: db(), reprovision: worker });

    expect(state.calls).toHaveLength(3);
    expect(status).toBe("succeeded");
    const done = await progress(id);
    expect(done).toMatchObject({
      status: "succeeded",
      succeeded: 3,
      cancelled: 0,
      cancelRequested: true,
      cancelledBy: "bob@example.com",
      cancelledAt: expect.any(Date),
    });
    const requested = await db().auditLog.findMany({ where: { action: "operation.cancel_requested", targetId: id } });
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ actor: "bob@example.com", before: { status: "running" } });
  });

  it("counts from the items themselves, so every poll's counters match the items exactly", async () => {
    const gates: Array<() => void> = [];
    const { worker, names } = recordingWorker(async (name) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      if (name === "ws-002") throw new DockerOperationError("boom");
    });
    const id = await enqueue(5, names, 2);
    const itemCounts = async () => {
      const rows = await db().$queryRaw<{ status: string; n: number }[]>`
        SELECT status::text AS status, count(*)::int AS n FROM operation_items WHERE operation_id = ${id}::uuid GROUP BY status`;
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    };

    const run = runOperation(id, { db: db(), reprovision: worker });
    let polls = 0;
    while ((await progress(id)).status !== "succeeded" && polls < 10_000) {
      // Items do not move while neither a gate opens nor the runner writes; compare in a quiet moment.
      const [before, seen, after] = [await itemCounts(), await progress(id), await itemCounts()];
      if (JSON.stringify(before) === JSON.stringify(after)) {
        polls++;
        for (const status of ["succeeded", "failed", "running", "queued", "cancelled", "skipped"] as const)
          expect(seen[status]).toBe(before[status] ?? 0);
        expect(seen.total).toBe(5);
      }
      gates.shift()?.();
      if ((await progress(id)).status === "partially_failed") break;
      await sleep(5);
    }
    expect(await run).toBe("partially_failed");
    expect(polls).toBeGreaterThan(2);
    // A stored counter that disagrees is not what the pages show.
    await db().operation.update({ where: { id }, data: { succeeded: 99, failed: 0 } });
    expect(await progress(id)).toMatchObject({ succeeded: 4, failed: 1 });
  });

  it("writes progress as items finish, so a poll sees it move", async () => {
    const gates: Array<() => void> = [];
    const { worker, names } = recordingWorker(() => new Promise<void>((resolve) => gates.push(resolve)));
    const id = await enqueue(4, names, 2);

    const run = runOperation(id, { db: db(), reprovision: worker });
    await until(async () => (await progress(id)).running === 2, "two running items");
    expect(await progress(id)).toMatchObject({ status: "running", succeeded: 0, queued: 2, percent: 0 });
    gates.shift()?.();
    await until(async () => (await progress(id)).succeeded === 1, "the first item to finish");
    // The freed worker takes the next item right after: wait for that state, do not race it.
    await until(async () => {
      const now = await progress(id);
      return now.running === 2 && now.queued === 1;
    }, "the next item to start");
    expect(await progress(id)).toMatchObject({ succeeded: 1, running: 2, queued: 1, percent: 25 });
    while ((await progress(id)).status === "running") {
      gates.shift()?.();
      await sleep(5);
    }

    expect(await run).toBe("succeeded");
  });

  it("is claimed by one runner only", async () => {
    const { worker, state, names } = recordingWorker();
    const id = await enqueue(5, names, 2);

    const results = await Promise.all([
      runOperation(id, { db: db(), reprovision: worker }),
      runOperation(id, { db: db(), reprovision: worker }),
    ]);

    expect(results.filter((result) => result === null)).toHaveLength(1);
    expect(state.calls).toHaveLength(5);
    expect(await runOperation(id, { db: db(), reprovision: worker })).toBeNull();
  });

  it("startOperation returns at once, never throws, and the operation still completes", async () => {
    const { worker, names } = recordingWorker(() => sleep(20));
    const id = await enqueue(3, names, 3);

    expect(() => startOperation("not-a-uuid", { db: db(), reprovision: worker })).not.toThrow();
    expect(startOperation(id, { db: db(), reprovision: worker })).toBeUndefined();
    expect((await progress(id)).status).not.toBe("succeeded");

    await until(async () => (await progress(id)).status === "succeeded", "the background run");
  });

  it("resolves (never rejects) when the database itself fails", async () => {
    const broken = new Proxy(db(), {
      get: (target, key) =>
        key === "$queryRaw" ? () => Promise.reject(new Error("connection terminated")) : Reflect.get(target, key),
    }) as Db;

    await expect(runOperation("00000000-0000-4000-8000-000000000000", { db: broken })).resolves.toBeNull();
  });

  it("marks the operation failed, with every unfinished item listed, when recording progress breaks", async () => {
    await db().$executeRawUnsafe(
      "CREATE OR REPLACE FUNCTION fp_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'succeeded' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$",
    );
    await db().$executeRawUnsafe(
      "CREATE TRIGGER fp_test_fail BEFORE UPDATE ON operation_items FOR EACH ROW EXECUTE FUNCTION fp_test_fail()",
    );
    const { worker, state, names } = recordingWorker(() => sleep(5));
    const id = await enqueue(6, names, 2);

    const status = await runOperation(id, { db: db(), reprovision: worker });

    expect(status).toBe("failed");
    expect(state.calls.length).toBeLessThan(6);
    const done = await progress(id);
    expect(done).toMatchObject({ status: "failed", failed: 6, succeeded: 0, queued: 0, running: 0 });
    expect(done.error).toMatch(/^operation aborted: .*disk full \(test\)/);
    expect(done.items.every((item) => item.status === "failed" && /operation aborted/.test(item.error ?? ""))).toBe(
      true,
    );
    // Items it never started say so; the ones it was running may have changed their workspace.
    expect(new Set(done.items.map((item) => item.outcome))).toEqual(
      new Set(["not started; the workspace was not touched", "state unknown, check the workspace"]),
    );
  });

  describe("sync operations", () => {
    const syncResult = (errors: number): Awaited<ReturnType<SyncWorker>> => ({
      adopted: ["w1"],
      updated: ["w2", "w3"],
      missing: [],
      skipped: [{ workspaceId: "w4", containerId: null, containerName: null, reason: "locked" }],
      errors: Array.from({ length: errors }, (_, i) => ({
        workspaceId: null,
        containerId: `c${i}`,
        containerName: `ws-bad${i}`,
        message: `inspect failed ${i}`,
      })),
    });

    it("records what the sync did, listing every failure", async () => {
      const { operationId } = await enqueueSync(db(), ACTOR);

      const status = await runOperation(operationId, {
        db: db(),
        sync: async (deps) => (expect(deps.actor).toBe(ACTOR), syncResult(2)),
      });

      expect(status).toBe("partially_failed");
      expect(await progress(operationId)).toMatchObject({
        total: 5,
        succeeded: 3,
        failed: 2,
        percent: 100,
        error:
          "2 of 5 could not be synced: ws-bad0: inspect failed 0; ws-bad1: inspect failed 1. 1 left alone: w4: locked",
      });
    });

    it("succeeds cleanly, and fails with the reason when sync itself throws", async () => {
      const ok = await enqueueSync(db(), ACTOR);
      const broken = await enqueueSync(db(), ACTOR);

      expect(await runOperation(ok.operationId, { db: db(), sync: async () => syncResult(0) })).toBe("succeeded");
      expect(
        await runOperation(broken.operationId, {
          db: db(),
          sync: async () => {
            throw new DockerOperationError("Docker is not reachable at unix:///nowhere");
          },
        }),
      ).toBe("failed");
      expect(await progress(broken.operationId)).toMatchObject({
        status: "failed",
        error: "operation aborted: Docker is not reachable at unix:///nowhere",
      });
    });
  });
});

const servicesUp = dockerServicesAvailable();

describe.runIf(servicesUp).each(availableBackends())(
  "bulk reprovision with the real reprovisionWorkspace and dockerd on %s",
  (backend) => {
    const namespace = testNamespace("bulk");
    // No post-start settle wait: these tests count outcomes, not how long a container stays up.
    const env = dockerTestEnv(namespace, { FLEETPIN_STOP_TIMEOUT_SECONDS: "2", FLEETPIN_HEALTH_SETTLE_SECONDS: "0" });
    const docker = createDockerClient();
    const database = useTestDatabase(backend);
    let oldImage: PushedImage;
    let newImage: PushedImage;
    const workspaceIds: string[] = [];

    beforeAll(async () => {
      oldImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `old-${randomSuffix()}` });
      newImage = await pushTemplateImage({ namespace, runtime: "hermes", marker: `new-${randomSuffix()}` });
    }, 120_000);
    afterAll(async () => {
      for (const id of workspaceIds) await removeWorkspaceArtifacts(id);
      if (newImage) await removeLocalImage(newImage.digestRef);
    });

    it("moves every stale workspace onto the pin, and lists the one that cannot be", async () => {
      const db = database();
      await db.$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${newImage.digest}), ('retired-runtime', ${newImage.digest})`;
      const rows = await db.$queryRaw<{ id: string; name: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
      SELECT 'bulk-' || g || '-' || ${randomSuffix()}, CASE WHEN g = 4 THEN 'retired-runtime' ELSE 'hermes' END, ${oldImage.digest}, 'offline'
      FROM generate_series(1, 4) g
      RETURNING id::text AS id, name`;
      workspaceIds.push(...rows.map((row) => row.id));
      const { operationId, total } = await enqueueReprovision(
        db,
        { allStale: true, concurrency: 2, reason: "new release" },
        ACTOR,
      );
      expect(total).toBe(4);

      const status = await runOperation(operationId, { db, docker, env });

      expect(status).toBe("partially_failed");
      const done = (await getOperationProgress(db, operationId)) as OperationProgress;
      expect(done).toMatchObject({ succeeded: 3, failed: 1, percent: 100 });
      expect(done.items[0]).toMatchObject({
        status: "failed",
        fromDigest: oldImage.digest,
        error: expect.stringMatching(/retired-runtime.*has no template image/),
      });
      for (const item of done.items.slice(1)) {
        expect(item).toMatchObject({
          status: "succeeded",
          fromDigest: oldImage.digest,
          toDigest: newImage.digest,
          image: newImage.digestRef,
        });
        const container = await inspectRaw(containerName(item.workspaceId));
        expect(container).toMatchObject({ State: { Running: true }, Config: { Image: newImage.digestRef } });
      }
      expect((await staleSummary(db)).find((row) => row.templateName === "hermes")).toMatchObject({
        total: 3,
        onPin: 3,
        stale: 0,
      });
      const locked = await db.workspace.count({ where: { lockedBy: { not: null } } });
      expect(locked).toBe(0);
      expect(await db.auditLog.count({ where: { action: "workspace.reprovision" } })).toBe(3);
    }, 180_000);

    it("recreates every workspace exactly once when two bulk runs are started together", async () => {
      const db = database();
      await db.$executeRaw`DELETE FROM runtime_image_pins`;
      await db.$executeRaw`INSERT INTO runtime_image_pins (template_name, digest) VALUES ('hermes', ${newImage.digest})`;
      const rows = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status)
      SELECT 'twice-' || g || '-' || ${randomSuffix()}, 'hermes', ${oldImage.digest}, 'offline'
      FROM generate_series(1, 6) g
      RETURNING id::text AS id`;
      const ids = rows.map((row) => row.id);
      workspaceIds.push(...ids);
      const since = (await dockerCli(["system", "info", "--format", "{{json .SystemTime}}"])).trim().replace(/"/g, "");

      // Two operators start overlapping bulk runs at once (workspaces 1–4 and 3–6); each enqueues, then runs.
      const operationIds = await Promise.all([
        enqueueReprovision(db, { workspaceIds: ids.slice(0, 4), concurrency: 3 }, ACTOR),
        enqueueReprovision(db, { workspaceIds: ids.slice(2), concurrency: 3 }, "bob@example.com"),
      ]).then((results) => results.map((result) => result.operationId));
      const statuses = await Promise.all(operationIds.map((id) => runOperation(id, { db, docker, env })));

      expect(statuses).toEqual(["succeeded", "succeeded"]);
      const skipped = await db.operationItem.count({ where: { operationId: { in: operationIds }, status: "skipped" } });
      expect(skipped).toBe(2);
      const queued = await db.$queryRaw<{ workspace_id: string; n: number }[]>`
      SELECT workspace_id::text AS workspace_id, count(*)::int AS n FROM operation_items
      WHERE workspace_id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}) AND status = 'succeeded'
      GROUP BY workspace_id`;
      expect(queued.map((row) => row.n)).toEqual([1, 1, 1, 1, 1, 1]);
      // What dockerd itself saw: one container created per workspace, whatever the database says.
      const until = (await dockerCli(["system", "info", "--format", "{{json .SystemTime}}"])).trim().replace(/"/g, "");
      const events = await dockerCli([
        "events",
        "--since",
        since,
        "--until",
        until,
        "--filter",
        "type=container",
        "--filter",
        "event=create",
        "--format",
        "{{json .Actor.Attributes}}",
      ]);
      const created = events
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => (JSON.parse(line) as Record<string, string>)[LABEL_WORKSPACE_ID])
        .filter((id): id is string => id !== undefined && ids.includes(id));
      expect(created.sort()).toEqual([...ids].sort());
      for (const id of ids)
        expect(await db.auditLog.count({ where: { action: "workspace.reprovision", targetId: id } })).toBe(1);
    }, 180_000);
  },
);
