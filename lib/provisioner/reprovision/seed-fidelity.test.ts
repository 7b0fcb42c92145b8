// Seed fidelity: containers made exactly as the platform's Start() makes them (tiers 1–4, the
// configs / workspace / claude-sessions volumes, molecule-monorepo-net with the alias, the port
// binding, tier limits, the env in the platform's order) plus one with its own Cmd, User and
// healthcheck. Each is adopted by sync, reprovisioned onto a second image, and `docker inspect`
// before and after may differ only in what a new container on a new image must differ in.
//
// What the test daemon cannot do: start privileged containers (runc: "unable to apply caps"),
// so tiers 3 and 4 run here with Privileged dropped, which container-clone.test.ts covers in its
// table; and start tier 4 with both host networking and the platform network endpoint, so tier 4
// runs host-networked only (the fixture's hostNetworkEndpoint: false).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { syncFromDocker } from "@/lib/provisioner/sync/sync";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { dockerCli, type PushedImage } from "@/test/images";
import {
  createPlatformContainer,
  removePlatformContainer,
  testDockerSocketPath,
  type PlatformContainerOptions,
} from "@/test/platform-containers";
import { useTestDatabase } from "@/test/use-test-database";

import { reprovisionWorkspace } from "./reprovision";

const servicesUp = dockerServicesAvailable();
const namespace = testNamespace("fidelity");
const RUNTIMES = ["claude-code", "langgraph", "hermes", "openclaw", "codex"] as const;
const images: Record<string, { a: PushedImage; b: PushedImage }> = {};

beforeAll(async () => {
  if (!servicesUp) return;
  const suffix = randomSuffix();
  for (const runtime of RUNTIMES) {
    images[runtime] = {
      a: await pushTemplateImage({ namespace, runtime, marker: `A-${suffix}`, tag: "latest", keepLocal: true }),
      b: await pushTemplateImage({ namespace, runtime, marker: `B-${suffix}` }),
    };
  }
}, 180_000);

type Inspect = Record<string, unknown> & {
  Id: string;
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> };
};

async function inspect(name: string): Promise<Inspect> {
  return (JSON.parse(await dockerCli(["container", "inspect", name])) as Inspect[])[0]!;
}

/**
 * What must be equal between the old and the new container: everything but identity (ID,
 * name-derived file paths), timing and state, the image, the short-ID hostname and aliases
 * Docker makes up per container, per-run network facts (addresses, endpoint IDs, assigned host
 * ports), and Fleetpin's identity labels (added on recreate, on purpose).
 */
function comparable(info: Inspect): unknown {
  const shortId = info.Id.slice(0, 12);
  const labels = { ...(info.Config.Labels as Record<string, string>) };
  delete labels[LABEL_WORKSPACE_ID];
  delete labels[LABEL_TEMPLATE];
  const { Hostname, Image, Labels, ...config } = info.Config;
  return {
    Name: info.Name,
    Path: info.Path,
    Args: info.Args,
    Config: { ...config, Labels: labels, Hostname: Hostname === shortId ? "<container short id>" : Hostname },
    HostConfig: info.HostConfig,
    Mounts: info.Mounts.map((m) => `${m.Type} ${m.Name ?? m.Source} ${m.Destination} ${m.RW ? "rw" : "ro"}`).sort(),
    Networks: Object.fromEntries(
      Object.entries(info.NetworkSettings.Networks).map(([name, endpoint]) => [
        name,
        (endpoint.Aliases ?? []).filter((alias) => alias !== shortId).sort(),
      ]),
    ),
  };
}

const CASES: {
  label: string;
  runtime: (typeof RUNTIMES)[number];
  options: Partial<PlatformContainerOptions>;
  volumes: string[];
}[] = [
  {
    label: "tier 1 (read-only root, /tmp tmpfs, configs only)",
    runtime: "langgraph",
    options: { tier: 1 },
    volumes: ["/configs"],
  },
  {
    label: "tier 2 claude-code (sessions volume, 512 MiB, 1 CPU)",
    runtime: "claude-code",
    options: { tier: 2, awareness: { namespace: "ns-1", url: "http://awareness:9000" } },
    volumes: ["/configs", "/workspace", "/root/.claude/sessions"],
  },
  {
    label: "tier 3 (host PID, 2 GiB; Privileged dropped: see header)",
    runtime: "hermes",
    options: { tier: 3, privileged: false, extraEnv: ["PYTHONPATH=/custom", "OPENAI_API_KEY=sk-test"] },
    volumes: ["/configs", "/workspace"],
  },
  {
    label: "tier 4 (host network, docker.sock, 4 GiB; Privileged dropped)",
    runtime: "openclaw",
    options: { tier: 4, privileged: false, hostNetworkEndpoint: false },
    volumes: ["/configs", "/workspace"],
  },
  {
    label: "tier 2 with its own Cmd, User, WorkingDir and healthcheck",
    runtime: "codex",
    options: {
      tier: 2,
      cmd: ["/bin/busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do /bin/busybox sleep 1 & wait $!; done"],
      user: "1000:1000",
      workingDir: "/workspace",
      healthcheck: { Test: ["CMD", "/bin/busybox", "true"], Interval: 1_000_000_000, Retries: 2 },
    },
    volumes: ["/configs", "/workspace"],
  },
];

describe.runIf(servicesUp)("seed fidelity: platform-made containers adopted and reprovisioned", () => {
  const db = useTestDatabase(availableBackends()[0]!);
  const docker = createDockerClient();
  const made: { name: string; workspaceId: string }[] = [];
  afterAll(async () => {
    for (const container of made) await removePlatformContainer(container);
  });

  it.each(CASES)(
    "$label",
    async ({ runtime, options, volumes }) => {
      const { a, b } = images[runtime]!;
      const container = await createPlatformContainer({
        image: a.ref,
        runtime,
        ...(options.tier === 4 ? { dockerSocketPath: testDockerSocketPath() } : {}),
        ...options,
      });
      made.push(container);
      const id = container.workspaceId;
      for (const volume of volumes)
        await dockerCli([
          "exec",
          "-u",
          "0",
          container.name,
          "/bin/busybox",
          "sh",
          "-c",
          `echo marker-${id} > ${volume}/marker.txt`,
        ]);
      const before = await inspect(container.name);

      // Adopted: identity read from WORKSPACE_ID and the image repository, nothing mutated.
      const synced = await syncFromDocker({ db: db(), docker, actor: "fidelity@example.com" });
      expect(synced.adopted).toContain(id);
      expect(await db().workspace.findUniqueOrThrow({ where: { id } })).toMatchObject({
        name: container.name,
        runtime,
        status: "online",
        containerId: container.id,
      });
      expect((await inspect(container.name)).Config.Labels).toEqual(before.Config.Labels);

      await db().runtimeImagePin.upsert({
        where: { templateName: runtime },
        create: { templateName: runtime, digest: b.digest },
        update: { digest: b.digest },
      });
      const result = await reprovisionWorkspace(id, {
        db: db(),
        docker,
        actor: "fidelity@example.com",
        env: dockerTestEnv(namespace),
        stopTimeoutSeconds: 5,
      });
      const after = await inspect(container.name);

      expect(after.Id).toBe(result.containerId);
      expect(after.Id).not.toBe(before.Id);
      expect(after.Config.Image).toBe(b.digestRef);
      expect((after.State as { Running: boolean }).Running).toBe(true);
      expect(comparable(after)).toEqual(comparable(before));
      expect(after.Config.Labels).toMatchObject({ [LABEL_WORKSPACE_ID]: id, [LABEL_TEMPLATE]: runtime });
      for (const volume of volumes) {
        expect((await dockerCli(["exec", container.name, "/bin/busybox", "cat", `${volume}/marker.txt`])).trim()).toBe(
          `marker-${id}`,
        );
      }
      expect((await dockerCli(["exec", container.name, "/bin/busybox", "cat", "/version"])).trim()).toBe(b.tag);
      expect(await inspect(`${container.name}`)).toBeTruthy();
      expect(
        (await dockerCli(["ps", "-a", "--filter", `name=${container.name}`, "--format", "{{.Names}}"]))
          .trim()
          .split("\n"),
      ).toEqual([container.name]);
    },
    180_000,
  );
});
