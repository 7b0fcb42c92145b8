// The engine going away and coming back: a dockerd of the test's own, stopped by PID while live
// state follows it. Its workspaces become `unknown` (not offline), then are reconciled.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { WorkspaceStatus } from "@/lib/generated/prisma/enums";
import { containerName, LABEL_MANAGED } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { createHostDockerd, type HostDockerd } from "@/test/host-dockerd";
import { TEST_IMAGE_CMD, type PushedImage } from "@/test/images";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { startLiveState, type LiveState } from "./live-state";

const run = promisify(execFile);
const servicesUp = dockerServicesAvailable();
let engine: HostDockerd | undefined;
let image: PushedImage | undefined;

async function dockerAt(host: string, args: string[]): Promise<string> {
  return (await run("docker", args, { env: { ...process.env, DOCKER_HOST: host } })).stdout;
}

beforeAll(async () => {
  if (!servicesUp) return;
  image = await pushTemplateImage({
    namespace: testNamespace("engine"),
    runtime: "langgraph",
    marker: `engine-${randomSuffix()}`,
  });
  engine = await createHostDockerd();
  await engine.start();
  await dockerAt(engine.unixHost, ["pull", image.ref]); // from the test registry on loopback
}, 180_000);
afterAll(async () => {
  await engine?.dispose();
}, 120_000);

describe.runIf(servicesUp).each(availableBackends())("an engine that goes away, on %s", (backend) => {
  const db = useTestDatabase(backend);
  let liveState: LiveState | undefined;
  afterAll(async () => liveState?.stop());

  const status = async (id: string) => (await db().workspace.findUnique({ where: { id } }))?.status ?? null;
  const untilStatus = (id: string, wanted: WorkspaceStatus) =>
    waitFor(async () => (await status(id)) === wanted, `workspace ${id} to be ${wanted}`, 90_000);

  it("marks its workspaces unknown while it is gone, and reconciles them when it is back", async () => {
    const host = engine!.unixHost;
    // A platform-style container (managed label and WORKSPACE_ID only) that the daemon restarts after its own restart.
    const workspaceId = randomUUID();
    await dockerAt(host, [
      "run",
      "-d",
      "--network",
      "none",
      "--restart",
      "unless-stopped",
      "--label",
      `${LABEL_MANAGED}=true`,
      "-e",
      `WORKSPACE_ID=${workspaceId}`,
      "--name",
      containerName(workspaceId),
      image!.ref,
      ...TEST_IMAGE_CMD,
    ]);
    const paused = await db().workspace.create({ data: { name: "paused", runtime: "langgraph", status: "paused" } });

    const docker = createDockerClient({ dockerHost: host });
    let engineBack = 0;
    liveState = startLiveState({
      db: db(),
      docker,
      reconcileIntervalMs: 3_600_000,
      backoff: { initialMs: 200, maxMs: 1_000 },
      log: () => undefined,
      onEngineBack: () => engineBack++,
    });
    await untilStatus(workspaceId, "online");
    expect(engineBack).toBe(0);

    await engine!.stop(); // SIGTERM by PID; the socket goes away with it
    await untilStatus(workspaceId, "unknown");
    expect(await status(paused.id)).toBe("paused");
    const audit = await db().auditLog.findFirst({ where: { action: "workspace.engine_unreachable" } });
    expect(audit).toMatchObject({ actor: "system:live-state", targetType: "workspace" });

    await engine!.start();
    // Reconciled after the reconnect: the daemon restarted its unless-stopped container.
    await untilStatus(workspaceId, "online");
    // …and the repair pass was asked for once, as the engine came back.
    expect(engineBack).toBe(1);
    await liveState.stop();
    liveState = undefined;
    await dockerAt(host, ["rm", "-f", containerName(workspaceId)]);
  }, 240_000);
});
