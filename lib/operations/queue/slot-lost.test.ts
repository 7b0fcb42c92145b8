// A job that no longer holds its host slot (pg-boss took it back after its heartbeat lapsed, and the
// next job of the slot may be running on the host) touches nothing: not before it starts, and not
// after its pull either. Its item is left for the attempt that holds the slot, which runs it once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { availableBackends } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  pushTwoTemplateImages,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { containerEvents, daemonTime } from "@/test/docker-events";
import type { PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";

import { runItemJob } from "./item-job";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "codex";
const namespace = testNamespace("slot-lost");
const env = dockerTestEnv(namespace);
let images: { a: PushedImage; b: PushedImage } | undefined;
const workspaces: string[] = [];

beforeAll(async () => {
  if (servicesUp) images = await pushTwoTemplateImages(namespace, RUNTIME);
}, 180_000);
afterAll(async () => {
  for (const id of workspaces) await removeWorkspaceArtifacts(id);
}, 120_000);

describe.runIf(servicesUp).each(availableBackends())("a job that lost its slot, on %s", (backend) => {
  const db = useTestDatabase(backend);
  const docker = createDockerClient();

  async function staleWorkspace(): Promise<{ id: string; containerId: string; operationId: string; itemId: string }> {
    await db().runtimeImagePin.upsert({
      where: { templateName: RUNTIME },
      create: { templateName: RUNTIME, digest: images!.a.digest },
      update: { digest: images!.a.digest },
    });
    const { workspaceId: id, containerId } = await provisionWorkspace(
      { name: `slot-${randomSuffix()}`, runtime: RUNTIME },
      { db: db(), docker, actor: "test", env, gate: { timeoutSeconds: 30, settleSeconds: 0 } },
    );
    workspaces.push(id);
    await db().runtimeImagePin.update({ where: { templateName: RUNTIME }, data: { digest: images!.b.digest } });
    const { operationId } = await enqueueReprovision(db(), { workspaceIds: [id], reason: "slot test" }, "test", env);
    const [item] = await db().operationItem.findMany({ where: { operationId } });
    return { id, containerId, operationId, itemId: item!.id.toString() };
  }
  const createsOf = async (id: string, since: string) =>
    (await containerEvents(since, await daemonTime())).filter(
      (event) => event.action === "create" && event.workspaceId === id,
    ).length;

  it("lost before it starts: the item stays queued and nothing is touched", async () => {
    const { id, containerId, operationId, itemId } = await staleWorkspace();
    const since = await daemonTime();
    await runItemJob({ operationId, itemId }, { db: db(), env, docker, holdsSlot: async () => false });
    expect(await db().operationItem.findUniqueOrThrow({ where: { id: BigInt(itemId) } })).toMatchObject({
      status: "queued",
    });
    expect(await createsOf(id, since)).toBe(0);
    expect((await docker.inspectContainer(containerId))?.running).toBe(true);
  });

  it("lost during its pull: the workspace is left at rest, and the attempt holding the slot recreates it once", async () => {
    const { id, containerId, operationId, itemId } = await staleWorkspace();
    const since = await daemonTime();
    let checks = 0;
    // Held at the start, gone by the time the swap would begin.
    await runItemJob({ operationId, itemId }, { db: db(), env, docker, holdsSlot: async () => ++checks === 1 });
    expect(checks).toBe(2);
    expect(await db().operationItem.findUniqueOrThrow({ where: { id: BigInt(itemId) } })).toMatchObject({
      status: "running",
    });
    expect(await db().workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "online",
      lockedBy: null,
      swapState: null,
      containerId,
      runtimeImageDigest: images!.a.digest,
    });
    expect((await docker.inspectContainer(containerId))?.running).toBe(true);
    expect(await createsOf(id, since)).toBe(0);

    // The retry, holding the slot, takes the item over and runs it: one create in all.
    await runItemJob({ operationId, itemId }, { db: db(), env, docker, holdsSlot: async () => true });
    expect(await db().operationItem.findUniqueOrThrow({ where: { id: BigInt(itemId) } })).toMatchObject({
      status: "succeeded",
      toDigest: images!.b.digest,
    });
    expect(await db().workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "online",
      lockedBy: null,
      runtimeImageDigest: images!.b.digest,
    });
    expect(await createsOf(id, since)).toBe(1);
  });
});
