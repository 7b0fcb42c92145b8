// Many Docker hosts (issue #16), end to end on real engines: the test services' three dockerds
// as `local`, a private one on a unix socket (`h2`, the engine this test kills) and the services'
// TLS engine (`h3`, tcp://127.0.0.1 with client certificates). Workspaces made the platform's way
// are spread over the three; sync adopts each on its host; a bulk reprovision runs per host while
// h2's dockerd is killed by PID (SIGKILL) mid-bulk: h2's items fail saying so, the others finish
// (one pull per host per digest), live state marks only h2's workspaces unknown, and once h2 is
// back its repair pass leaves nothing on it down.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { enqueueSync } from "@/lib/db/operations/enqueue-sync";
import { addHost } from "@/lib/hosts/hosts";
import { dockerClientForHost, registerLocalHost } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { startHostsLiveState } from "@/lib/provisioner/live-state/hosts-live-state";
import { reprovisionWorkspace } from "@/lib/provisioner/reprovision/reprovision";
import { hostInputSchema } from "@/lib/schemas/host";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTwoTemplateImages, testNamespace } from "@/test/docker";
import { createHostDockerd, type HostDockerd } from "@/test/host-dockerd";
import type { PushedImage } from "@/test/images";
import { createPlatformContainer, removePlatformContainer, testDockerode } from "@/test/platform-containers";
import { serviceEngine, serviceEnginesAvailable, type ServiceEngine } from "@/test/service-engines";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { runOperation } from "./run-operation";

const run = promisify(execFile);
const servicesUp = dockerServicesAvailable() && serviceEnginesAvailable();
const RUNTIME = "crewai";
const PER_HOST = 2;
const namespace = testNamespace("hosts");
const env = dockerTestEnv(namespace, {
  FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64"),
  FLEETPIN_HEALTH_SETTLE_SECONDS: "1",
});
let h2: HostDockerd | undefined;
let h3: ServiceEngine | undefined;
let images: { a: PushedImage; b: PushedImage } | undefined;

beforeAll(async () => {
  if (!servicesUp) return;
  images = await pushTwoTemplateImages(namespace, RUNTIME);
  // h2 is killed mid-run, so it is this file's own; h3 is the services' TLS engine, shared with other files.
  h2 = await createHostDockerd();
  await h2.start();
  h3 = serviceEngine(3);
  for (const host of [process.env.DOCKER_HOST!, h2.unixHost, h3.unixHost]) {
    await run("docker", ["pull", images.a.ref], { env: { ...process.env, DOCKER_HOST: host } });
  }
}, 300_000);
// Workspaces made on the shared engines (local, h3): removed at the end, or the next sync anywhere (the
// browser journeys run against the same engine) would adopt them.
const onSharedEngine: { workspaceId: string; name: string; host: "local" | "h3" }[] = [];

afterAll(async () => {
  // By name too: a container the run never reprovisioned has only the platform's labels, not Fleetpin's.
  await Promise.all([
    h2?.dispose(),
    ...onSharedEngine.map(async ({ workspaceId, name, host }) => {
      const engine = host === "h3" ? h3!.dockerode() : testDockerode();
      // The name filter matches `-prev-` containers a cut-short swap may have left beside it.
      const containers = await engine.listContainers({ all: true, filters: { name: [name] } }).catch(() => []);
      for (const container of containers)
        await engine
          .getContainer(container.Id)
          .remove({ force: true })
          .catch(() => undefined);
      await removePlatformContainer({ name, workspaceId }, engine);
    }),
  ]);
}, 180_000);

/** Wraps a client to count its pulls (by host). */
function counting(host: string, client: DockerClient, pulls: Map<string, number>): DockerClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "pullImage") {
        return (...args: Parameters<DockerClient["pullImage"]>) => {
          pulls.set(host, (pulls.get(host) ?? 0) + 1);
          return target.pullImage(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// Engine behaviour, not SQL: one backend, as the other dockerd fault tests do.
describe.runIf(servicesUp)("many Docker hosts", () => {
  const db = useTestDatabase(availableBackends()[0]!);

  it("syncs, reprovisions and follows workspaces per host; a host stopped mid-bulk fails only its own items and comes back", async () => {
    await registerLocalHost(db(), env);
    await addHost(db(), hostInputSchema.parse({ name: "h2", endpoint: h2!.endpoint, concurrency: 2 }), "test", env);
    await addHost(
      db(),
      hostInputSchema.parse({
        name: "h3",
        endpoint: h3!.endpoint,
        tls: h3!.tls,
        labels: { region: "eu" },
        concurrency: 2,
      }),
      "test",
      env,
    );

    // Workspaces as the platform makes them, spread over the three engines.
    const engines = { local: testDockerode(), h2: h2!.dockerode(), h3: h3!.dockerode() };
    const hostOf = new Map<string, string>();
    for (const [host, dockerode] of Object.entries(engines)) {
      for (let i = 0; i < PER_HOST; i++) {
        const container = await createPlatformContainer(
          {
            image: images!.a.ref,
            runtime: RUNTIME,
            privileged: false,
            publishPort: false,
            cmd: ["/bin/sh", "-c", "sleep 100000"],
          },
          dockerode,
        );
        hostOf.set(container.workspaceId, host);
        if (host === "local" || host === "h3")
          onSharedEngine.push({ workspaceId: container.workspaceId, name: container.name, host });
      }
    }
    const ids = [...hostOf.keys()];

    // Sync over all hosts: each workspace adopted with the host its container is on.
    const sync = await enqueueSync(db(), "test");
    expect(await runOperation(sync.operationId, { db: db(), env })).toBe("succeeded");
    const adopted = await db().workspace.findMany({ where: { id: { in: ids } } });
    expect(adopted).toHaveLength(ids.length);
    for (const row of adopted) expect([row.id, row.host, row.status]).toEqual([row.id, hostOf.get(row.id), "online"]);

    // Bulk reprovision onto B; h2's dockerd is killed by PID as soon as its first item starts, while the others run.
    await db().runtimeImagePin.create({ data: { templateName: RUNTIME, digest: images!.b.digest } });
    const { operationId } = await enqueueReprovision(
      db(),
      { allStale: true, concurrency: 4, reason: "many hosts" },
      "test",
      env as NodeJS.ProcessEnv,
    );
    // The shared engine is shared with other test files running now, which may hold B already: it is never
    // removed from there (that would pull an image from under their containers); the pull count allows for it.
    const localHasB = await engines.local
      .getImage(images!.b.digestRef)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    const pulls = new Map<string, number>();
    let h2Killed: Promise<void> | undefined;
    const status = await runOperation(operationId, {
      db: db(),
      env,
      dockerForHost: async (host) => counting(host, await dockerClientForHost(host, { db: db(), env }), pulls),
      reprovision: async (workspaceId, deps) => {
        if (hostOf.get(workspaceId) === "h2") await (h2Killed ??= h2!.kill());
        return reprovisionWorkspace(workspaceId, deps);
      },
    });
    expect(status).toBe("partially_failed");
    const items = await db().operationItem.findMany({ where: { operationId } });
    for (const item of items) {
      if (hostOf.get(item.workspaceId) === "h2") {
        expect(item.status).toBe("failed");
        expect(item.error).toMatch(/Docker host "h2" is unreachable/);
      } else expect([item.workspaceId, item.status, item.error]).toEqual([item.workspaceId, "succeeded", null]);
    }
    // One pull per host per digest: two workspaces each on local and h3, one pull each; none on the stopped h2.
    expect(Object.fromEntries(pulls)).toEqual(localHasB ? { h3: 1 } : { local: 1, h3: 1 });
    for (const host of ["local", "h3"] as const) {
      for (const id of ids.filter((candidate) => hostOf.get(candidate) === host)) {
        const row = await db().workspace.findUniqueOrThrow({ where: { id } });
        expect([row.host, row.status, row.runtimeImageDigest]).toEqual([host, "online", images!.b.digest]);
        const inspect = await engines[host].getContainer(row.containerId!).inspect();
        expect(inspect.State.Running).toBe(true);
      }
    }

    // Live state: only h2's workspaces become unknown while it is down; then it comes back.
    const liveState = startHostsLiveState({ db: db(), env, reconcileIntervalMs: 3_000 });
    try {
      const h2Ids = ids.filter((id) => hostOf.get(id) === "h2");
      await waitFor(
        async () => (await db().workspace.count({ where: { id: { in: h2Ids }, status: "unknown" } })) === h2Ids.length,
        "h2's workspaces unknown",
        60_000,
      );
      expect(
        await db().workspace.count({ where: { id: { in: ids }, host: { not: "h2" }, status: { not: "online" } } }),
      ).toBe(0);

      await h2!.start();
      await waitFor(
        async () => {
          const rows = await db().workspace.findMany({ where: { id: { in: h2Ids } } });
          if (!rows.every((row) => row.status === "online")) return false;
          const states = await Promise.all(
            rows.map((row) =>
              engines.h2
                .getContainer(row.containerId!)
                .inspect()
                .then(
                  (c) => c.State.Running,
                  () => false,
                ),
            ),
          );
          return states.every(Boolean);
        },
        "h2's workspaces running and online again",
        120_000,
      );
    } finally {
      await liveState.stop();
    }
  }, 600_000);
});
