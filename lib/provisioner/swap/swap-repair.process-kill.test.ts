// Fault: the process running a reprovision is killed by PID after it stopped the workspace's
// old container (its new one is in the health gate). A new process starts (the server's own
// start-up code) and, without any click, the workspace is running again and its item says how.
import { spawn, type ChildProcess } from "node:child_process";

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
import type { PushedImage } from "@/test/images";
import { usePostgresDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

const servicesUp = dockerServicesAvailable();
const RUNTIME = "deepagents";
const namespace = testNamespace("process-kill");
const images: { a?: PushedImage; b?: PushedImage } = {};

beforeAll(async () => {
  if (servicesUp) Object.assign(images, await pushTwoTemplateImages(namespace, RUNTIME));
});

/** Runs test/fixtures/fleetpin-process.ts as its own OS process with `env` on top of ours. */
function fleetpinProcess(
  args: string[],
  env: Record<string, string | undefined>,
): { child: ChildProcess; exited: Promise<{ code: number | null; output: string }> } {
  const child = spawn("npx", ["tsx", "--conditions", "react-server", "test/fixtures/fleetpin-process.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: kill the whole tree (npx → node)
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, output })),
  );
  return { child, exited };
}

describe.runIf(servicesUp)("a Fleetpin process killed mid-reprovision", () => {
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

  it("leaves the workspace running after the next start-up, with no click", async () => {
    const db = database.db;
    const docker = createDockerClient();
    const env = dockerTestEnv(namespace);
    const pin = (digest: string) =>
      db.runtimeImagePin.upsert({
        where: { templateName: RUNTIME },
        create: { templateName: RUNTIME, digest },
        update: { digest },
      });
    await pin(images.a!.digest);
    const { workspaceId: id, containerId: oldId } = await provisionWorkspace(
      { name: `killed-${randomSuffix()}`, runtime: RUNTIME },
      { db, docker, actor: "test", env, gate: { timeoutSeconds: 30, settleSeconds: 0 } },
    );
    workspaces.push(id);
    await pin(images.b!.digest);
    const { operationId } = await enqueueReprovision(
      db,
      { workspaceIds: [id], reason: "process kill test" },
      "test",
      env as NodeJS.ProcessEnv,
    );

    // A long settle keeps the run inside the health gate, its old container stopped, until we kill it.
    const processEnv = { ...env, DATABASE_URL: url(), FLEETPIN_HEALTH_SETTLE_SECONDS: "300" } as Record<
      string,
      string | undefined
    >;
    const running = fleetpinProcess(["run", operationId], processEnv);
    await waitFor(
      async () => {
        const row = await db.workspace.findUniqueOrThrow({ where: { id } });
        return readSwapRecord(row.swapState)?.step === "gating";
      },
      "the swap to reach its health gate",
      120_000,
    );
    expect((await docker.inspectContainer(oldId))?.running).toBe(false);
    process.kill(-running.child.pid!, "SIGKILL");
    await running.exited;

    // The workspace is mid-swap: nothing but a new process can finish it now.
    const restart = fleetpinProcess(["start"], {
      ...processEnv,
      FLEETPIN_HEALTH_SETTLE_SECONDS: "1",
      FLEETPIN_REPAIR_INTERVAL_SECONDS: "0",
    });
    const { code, output } = await restart.exited;
    expect(code, output).toBe(0);

    const [container, ...others] = await workspaceContainers(id);
    expect(others).toEqual([]);
    expect(container).toMatchObject({ name: containerName(id), state: "running" });
    const inspected = await docker.inspectContainer(container!.id);
    expect([images.a!.digestRef, images.b!.digestRef]).toContain(inspected!.image);
    expect(await db.workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "online",
      containerId: container!.id,
      swapState: null,
      lockedBy: null,
    });
    const [item] = await db.operationItem.findMany({ where: { operationId } });
    expect(item?.outcome).toMatch(/^repaired after the run was cut short: /);
    expect(item?.outcome).toContain(inspected!.image);
    expect(await db.auditLog.count({ where: { targetId: id, action: "workspace.swap_repaired" } })).toBe(1);
  }, 300_000);
});
