// Fault: the worker running an item is killed by PID between its new container's create and its
// start. The item taken over (as pg-boss hands a dead worker's job to another) must not create a
// second container: the swap journal leads the take-over to the one already created, which is
// started, gated and kept. Docker's own events count the creates.
import { spawn } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Database } from "@/lib/db/client";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { readSwapRecord } from "@/lib/db/swap-journal";
import { containerName } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { provisionWorkspace } from "@/lib/provisioner/reprovision/provision";
import {
  dockerServicesAvailable,
  dockerTestEnv,
  pushTwoTemplateImages,
  randomSuffix,
  removeWorkspaceArtifacts,
  testNamespace,
  workspaceContainers,
} from "@/test/docker";
import { containerEvents, daemonTime } from "@/test/docker-events";
import type { PushedImage } from "@/test/images";
import { usePostgresDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { runItemJob } from "./item-job";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "openclaw";
const namespace = testNamespace("create-kill");
let images: { a: PushedImage; b: PushedImage } | undefined;

beforeAll(async () => {
  if (servicesUp) images = await pushTwoTemplateImages(namespace, RUNTIME);
}, 180_000);

describe.runIf(servicesUp)("a worker killed between create and start", () => {
  const url = usePostgresDatabase();
  let database: Database;
  const workspaces: string[] = [];
  beforeAll(async () => {
    database = await openDatabase({ kind: "postgres", url: url(), displayUrl: "test" });
  });
  afterAll(async () => {
    await database?.close();
    for (const id of workspaces) await removeWorkspaceArtifacts(id);
  });

  it("is taken over without a second create: the created container is started and kept", async () => {
    const db = database.db;
    const docker = createDockerClient();
    // A lock heartbeat quiet for 2 s is a dead holder here (the take-over waits it out first).
    const env = dockerTestEnv(namespace, { FLEETPIN_LOCK_STALE_SECONDS: "2" });
    await db.runtimeImagePin.create({ data: { templateName: RUNTIME, digest: images!.a.digest } });
    const { workspaceId: id, containerId: oldId } = await provisionWorkspace(
      { name: `create-kill-${randomSuffix()}`, runtime: RUNTIME },
      { db, docker, actor: "test", env, gate: { timeoutSeconds: 30, settleSeconds: 0 } },
    );
    workspaces.push(id);
    await db.runtimeImagePin.update({ where: { templateName: RUNTIME }, data: { digest: images!.b.digest } });
    const { operationId } = await enqueueReprovision(
      db,
      { workspaceIds: [id], reason: "create-kill test" },
      "test",
      env as NodeJS.ProcessEnv,
    );
    const [item] = await db.operationItem.findMany({ where: { operationId } });
    const since = await daemonTime();

    // The first attempt, in a process of its own, stops for good between create and start; then it is killed.
    const child = spawn(
      "npx",
      [
        "tsx",
        "--conditions",
        "react-server",
        "test/fixtures/fleetpin-process.ts",
        "item",
        operationId,
        item!.id.toString(),
      ],
      {
        env: { ...process.env, ...env, DATABASE_URL: url(), HANG_BEFORE_START: "1" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await waitFor(
      async () => output.includes("hanging-before-start=") || child.exitCode !== null,
      "the attempt to reach its start",
      120_000,
    );
    const createdId = /hanging-before-start=(\w+)/.exec(output)?.[1];
    expect(createdId, output).toBeDefined();
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const left = await db.workspace.findUniqueOrThrow({ where: { id } });
    expect(readSwapRecord(left.swapState)?.step).toBe("starting");
    expect((await docker.inspectContainer(createdId!))?.status).toBe("created");

    // The job again, as pg-boss gives it to another worker once the dead one's heartbeat lapsed.
    await runItemJob({ operationId, itemId: item!.id.toString() }, { db, env, docker });
    const until = await daemonTime();

    const creates = (await containerEvents(since, until)).filter(
      (event) => event.action === "create" && event.workspaceId === id,
    );
    expect(creates).toHaveLength(1);
    const [container, ...others] = await workspaceContainers(id);
    expect(others).toEqual([]);
    expect(container).toMatchObject({ id: createdId, name: containerName(id), state: "running" });
    expect(await docker.inspectContainer(oldId)).toBeNull();
    expect(await db.operationItem.findUniqueOrThrow({ where: { id: item!.id } })).toMatchObject({
      status: "succeeded",
      toDigest: images!.b.digest,
    });
    expect(await db.workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "online",
      containerId: createdId,
      runtimeImageDigest: images!.b.digest,
      swapState: null,
      lockedBy: null,
    });
  }, 300_000);
});
