// An item whose attempt died: the lock is waited out, and a workspace the dead attempt already
// moved onto its target is not recreated again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ItemResult } from "@/lib/db/operations/run-lifecycle";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import type { ImageResolver } from "@/lib/provisioner/reprovision/image-resolver";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";

import { takeOverItem } from "./take-over-item";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
// No swap journal is left in these cases, so the repair step never reaches Docker.
const noDocker = {} as DockerClient;
const resolver = {
  resolve: async (template: string) => ({ template, ref: `r/t@${A}`, digest: A, source: "pin" }),
} as unknown as ImageResolver;
const RERUN: ItemResult = { status: "failed", error: "re-run", outcome: "re-run" };

describe.each(availableBackends())("takeOverItem on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function workspace(digest: string, lockedBy: string | null, lockedAt: Date | null): Promise<string> {
    const row = await database.db.workspace.create({
      data: {
        name: `t-${Math.random()}`,
        runtime: "hermes",
        status: "online",
        runtimeImage: `r/t@${digest}`,
        runtimeImageDigest: digest,
        lockedBy,
        lockedAt,
      },
    });
    return row.id;
  }
  const args = (workspaceId: string) => ({
    db: database.db,
    docker: noDocker,
    env: { FLEETPIN_LOCK_STALE_SECONDS: "60" },
    resolver,
    operationItemId: "77",
    workspaceId,
    fromDigest: B,
    pollMs: 50,
  });

  it("records success without a re-run when the dead attempt left the workspace on its target", async () => {
    const id = await workspace(A, null, null);
    let reruns = 0;
    const result = await takeOverItem(args(id), async () => (reruns++, RERUN));
    expect(reruns).toBe(0);
    expect(result).toEqual({ status: "succeeded", fromDigest: B, toDigest: A, image: `r/t@${A}` });
  });

  it("re-runs an item whose workspace is not on its target, once a stale lock no longer holds it", async () => {
    const id = await workspace(B, "77", new Date(Date.now() - 10 * 60_000));
    let reruns = 0;
    expect(await takeOverItem(args(id), async () => (reruns++, RERUN))).toBe(RERUN);
    expect(reruns).toBe(1);
  });

  it("waits while a live holder has the lock", async () => {
    const id = await workspace(B, "77", new Date());
    let reruns = 0;
    const taking = takeOverItem(args(id), async () => (reruns++, RERUN));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reruns).toBe(0);
    await database.db.workspace.update({ where: { id }, data: { lockedBy: null, lockedAt: null } });
    expect(await taking).toBe(RERUN);
    expect(reruns).toBe(1);
  });
});
