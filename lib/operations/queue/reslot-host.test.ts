// A host's concurrency edited while its items wait in the queue: the waiting jobs move to the new
// slots (a lowered limit stops using the old high slots, a raised one spreads over the new ones).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { addHost } from "@/lib/hosts/hosts";
import { queuedJobs, startJobs, stopJobs } from "@/lib/jobs/runner";
import { hostInputSchema } from "@/lib/schemas/host";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

import { queueOperation } from "./queue-operation";
import { reslotHost } from "./reslot-host";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
// The process-wide ceiling above every registered limit used here, so the host's own limit decides.
const env = { FLEETPIN_HOST_CONCURRENCY: "16" };

describe.each(availableBackends())("re-slotting a host on %s", (backend) => {
  let database: TestDatabase;
  const db = () => database.db;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    // Nobody works the queue in this file: every job stays waiting.
    await startJobs(database);
  });
  afterAll(async () => {
    await stopJobs();
    await database?.close();
  });

  it("moves waiting jobs onto the slots of the new limit, both ways", async () => {
    const host = `h${Math.random().toString(16).slice(2, 8)}`;
    await addHost(
      db(),
      hostInputSchema.parse({ name: host, endpoint: `unix:///tmp/${host}.sock`, concurrency: 4 }),
      "test",
    );
    await db().runtimeImagePin.create({ data: { templateName: "autogen", digest: A } });
    const ids = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO workspaces (name, runtime, runtime_image_digest, status, host)
      SELECT ${host} || '-' || g, 'autogen', ${B}, 'online', ${host} FROM generate_series(1, 8) g RETURNING id::text AS id`;
    const { operationId } = await enqueueReprovision(
      db(),
      { workspaceIds: ids.map((row) => row.id), concurrency: 8, reason: "reslot" },
      "test",
      {},
    );
    expect(await queueOperation(operationId, { db: db(), env })).toBe(8);
    const slotsInUse = async () => {
      const items = await db().operationItem.findMany({ where: { operationId } });
      const keys = new Set<string>();
      for (const item of items) {
        const waiting = await queuedJobs("operations.item", { operationId, itemId: item.id.toString() });
        expect(waiting, `item ${item.id}`).toHaveLength(1);
        keys.add(waiting[0]!.singletonKey!);
      }
      return [...keys].sort();
    };
    const slots = (n: number) => Array.from({ length: n }, (_, i) => `${host}:${i}`);
    expect(await slotsInUse()).toEqual(slots(4));

    await db().dockerHost.update({ where: { name: host }, data: { concurrency: 2 } });
    expect(await reslotHost(host, { db: db(), env })).toBeGreaterThan(0);
    expect(await slotsInUse()).toEqual(slots(2));
    // Nothing to move when the limit did not change.
    expect(await reslotHost(host, { db: db(), env })).toBe(0);

    await db().dockerHost.update({ where: { name: host }, data: { concurrency: 8 } });
    await reslotHost(host, { db: db(), env });
    expect(await slotsInUse()).toEqual(slots(8));
  });
});
