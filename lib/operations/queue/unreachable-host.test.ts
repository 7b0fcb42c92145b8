// FLEETPIN_UNREACHABLE_HOST=wait on the queue: a bulk reprovision over two hosts while one engine
// is stopped. The other host's item finishes; the stopped host's item is not failed but stays
// queued, sent again for later; once its engine answers again it runs and the operation succeeds.
// (`fail`, the default, is covered by lib/operations/many-hosts.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { addHost } from "@/lib/hosts/hosts";
import { queuedJobs, startJobs, stopJobs } from "@/lib/jobs/runner";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { registerLocalHost } from "@/lib/provisioner/docker/hosts";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import { hostInputSchema } from "@/lib/schemas/host";
import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  pushTwoTemplateImages,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
} from "@/test/docker";
import { createHostDockerd, type HostDockerd } from "@/test/host-dockerd";
import type { PushedImage } from "@/test/images";
import { waitFor } from "@/test/wait-for";

import { jobIdFor, queueOperation } from "./queue-operation";
import { workOperationQueues } from "./work-operations";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "autogen";
const namespace = testNamespace("unreachable");
const env = dockerTestEnv(namespace, { FLEETPIN_UNREACHABLE_HOST: "wait", FLEETPIN_STOP_TIMEOUT_SECONDS: "1" });
let h2: HostDockerd | undefined;
let images: { a: PushedImage; b: PushedImage } | undefined;
const onLocal: string[] = [];

beforeAll(async () => {
  if (!servicesUp) return;
  images = await pushTwoTemplateImages(namespace, RUNTIME);
  // Stopped mid-test, so this file's own engine.
  h2 = await createHostDockerd();
  await h2.start();
}, 300_000);
afterAll(async () => {
  await h2?.dispose();
  for (const id of onLocal) await removeWorkspaceArtifacts(id);
}, 180_000);

// Engine behaviour and the queue's own scheduling: one backend, as the other dockerd fault tests do.
describe.runIf(servicesUp)("a host that does not answer, with FLEETPIN_UNREACHABLE_HOST=wait", () => {
  let database: TestDatabase;
  const db = () => database.db;
  beforeAll(async () => {
    database = await createTestDatabase(availableBackends()[0]!);
  });
  afterAll(async () => {
    await stopJobs();
    await database?.close();
  });

  it("keeps its items queued while the others finish, and runs them once it answers", async () => {
    await registerLocalHost(db(), env);
    await addHost(db(), hostInputSchema.parse({ name: "h2", endpoint: h2!.unixHost, concurrency: 2 }), "test", env);
    await db().runtimeImagePin.create({ data: { templateName: RUNTIME, digest: images!.a.digest } });
    const gate = { timeoutSeconds: 30, settleSeconds: 0 };
    const local = await provisionWorkspace(
      { name: `local-${randomSuffix()}`, runtime: RUNTIME },
      { db: db(), docker: createDockerClient(), actor: "test", env, gate },
    );
    onLocal.push(local.workspaceId);
    const remote = await provisionWorkspace(
      { name: `h2-${randomSuffix()}`, runtime: RUNTIME },
      { db: db(), docker: createDockerClient({ dockerHost: h2!.unixHost }), actor: "test", env, gate },
    );
    await db().workspace.update({ where: { id: remote.workspaceId }, data: { host: "h2" } });
    await db().runtimeImagePin.update({ where: { templateName: RUNTIME }, data: { digest: images!.b.digest } });

    await h2!.stop();
    await startJobs(database);
    await workOperationQueues({ db: db(), env, pollingIntervalSeconds: 0.5 });
    const { operationId } = await enqueueReprovision(db(), { allStale: true, reason: "wait test" }, "test", env);
    expect(await queueOperation(operationId, { db: db(), env })).toBe(2);
    const itemOf = async (workspaceId: string) =>
      db().operationItem.findFirstOrThrow({ where: { operationId, workspaceId } });

    // The local item finishes; h2's was handed back to the queue for later (a job other than its first).
    const remoteItem = await itemOf(remote.workspaceId);
    await waitFor(
      async () => (await itemOf(local.workspaceId)).status === "succeeded",
      "the local item to succeed",
      120_000,
    );
    await waitFor(
      async () =>
        (await queuedJobs("operations.item", { operationId, itemId: remoteItem.id.toString() })).some(
          (job) => job.id !== jobIdFor(`item:${remoteItem.id}`),
        ),
      "h2's item to be sent again for later",
      60_000,
    );
    expect((await itemOf(remote.workspaceId)).status).toBe("queued");
    expect((await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("running");

    // The engine is back: the waiting item runs and the operation ends with both done.
    await h2!.start();
    await waitFor(
      async () => (await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status !== "running",
      "the operation to end",
      120_000,
    );
    expect(await db().operation.findUniqueOrThrow({ where: { id: operationId } })).toMatchObject({
      status: "succeeded",
      succeeded: 2,
      failed: 0,
    });
    const row = await db().workspace.findUniqueOrThrow({ where: { id: remote.workspaceId } });
    expect(row).toMatchObject({ host: "h2", status: "online", runtimeImageDigest: images!.b.digest });
    expect((await h2!.dockerode().getContainer(row.containerId!).inspect()).State.Running).toBe(true);
  }, 400_000);
});
