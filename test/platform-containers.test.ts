import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { dockerServicesAvailable, pushTemplateImage, testNamespace } from "./docker";
import { dockerCli, TEST_IMAGE_CMD, type PushedImage } from "./images";
import {
  createPlatformContainer,
  PLATFORM_NETWORK,
  platformCreateRequest,
  removePlatformContainer,
  testDockerSocketPath,
  type PlatformContainer,
} from "./platform-containers";

const ID = "01234567-89ab-4cde-8f01-23456789abcd";
const IMAGE = "ghcr.io/molecule-ai/workspace-template-claude-code:latest";

describe("platformCreateRequest (the seed's Start() body)", () => {
  it("writes the platform's env in its order, then awareness, then extra env", () => {
    const { body } = platformCreateRequest({
      workspaceId: ID,
      image: IMAGE,
      runtime: "langgraph",
      tier: 2,
      platformUrl: "http://p:8080",
      awareness: { namespace: "ns", url: "http://a" },
      extraEnv: ["PYTHONPATH=/mine"],
    });
    expect(body.Env).toEqual([
      `WORKSPACE_ID=${ID}`,
      "WORKSPACE_CONFIG_PATH=/configs",
      "PLATFORM_URL=http://p:8080",
      "MOLECULE_URL=http://p:8080",
      "TIER=2",
      "PLUGINS_DIR=/plugins",
      "PYTHONPATH=/app",
      "AWARENESS_NAMESPACE=ns",
      "AWARENESS_URL=http://a",
      "PYTHONPATH=/mine",
    ]);
    expect(
      platformCreateRequest({ image: IMAGE, runtime: "x", awareness: { namespace: "ns", url: "" } }).body.Env,
    ).toHaveLength(7);
  });

  it.each([
    [
      1,
      {
        Binds: [`ws-${ID.slice(0, 12)}-configs:/configs`],
        ReadonlyRootfs: true,
        Tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      },
    ],
    [2, { Memory: 512 * 1024 * 1024, NanoCpus: 1e9 }],
    [3, { Privileged: true, PidMode: "host", Memory: 2048 * 1024 * 1024, NanoCpus: 2e9 }],
    [4, { Privileged: true, PidMode: "host", NetworkMode: "host", Memory: 4096 * 1024 * 1024, NanoCpus: 4e9 }],
  ] as const)("tier %i gets ApplyTierConfig's host settings", (tier, expected) => {
    const { name, body, volumes } = platformCreateRequest({
      workspaceId: ID,
      image: IMAGE,
      runtime: "claude-code",
      tier,
    });
    expect(name).toBe(`ws-${ID.slice(0, 12)}`);
    expect(body.HostConfig).toMatchObject({ ...expected, RestartPolicy: { Name: "unless-stopped" } });
    expect(body.HostConfig.PortBindings).toEqual({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] });
    expect(body.Labels).toEqual({ "molecule.platform.managed": "true" });
    expect(body.ExposedPorts).toEqual({ "8000/tcp": {} });
    expect(body.NetworkingConfig).toEqual({ EndpointsConfig: { [PLATFORM_NETWORK]: { Aliases: [name] } } });
    expect(volumes.map((v) => v.name)).toEqual([
      `ws-${ID.slice(0, 12)}-configs`,
      `ws-${ID.slice(0, 12)}-claude-sessions`,
    ]);
    if (tier !== 1) {
      const binds = body.HostConfig.Binds;
      expect(binds.slice(0, 3)).toEqual([
        `ws-${ID.slice(0, 12)}-configs:/configs`,
        `ws-${ID}-workspace:/workspace`,
        `ws-${ID.slice(0, 12)}-claude-sessions:/root/.claude/sessions`,
      ]);
      expect(binds.at(-1) === "/var/run/docker.sock:/var/run/docker.sock").toBe(tier === 4);
    }
  });

  it("drops only Privileged when asked, and the endpoint or alias when asked", () => {
    const t4 = platformCreateRequest({
      workspaceId: ID,
      image: IMAGE,
      runtime: "langgraph",
      tier: 4,
      privileged: false,
      hostNetworkEndpoint: false,
    });
    expect(t4.body.HostConfig.Privileged).toBeUndefined();
    expect(t4.body.HostConfig).toMatchObject({ PidMode: "host", NetworkMode: "host" });
    expect(t4.body.NetworkingConfig).toBeUndefined();
    const noAlias = platformCreateRequest({ image: IMAGE, runtime: "langgraph", networkAlias: false });
    expect(noAlias.body.NetworkingConfig).toEqual({ EndpointsConfig: { [PLATFORM_NETWORK]: {} } });
  });
});

type Inspect = {
  Name: string;
  Config: {
    Env: string[];
    Labels: Record<string, string>;
    ExposedPorts: Record<string, object>;
    User: string;
    WorkingDir: string;
    Cmd: string[];
    Healthcheck?: { Test: string[] };
  };
  State: { Running: boolean };
  HostConfig: {
    Binds: string[];
    ReadonlyRootfs: boolean;
    Tmpfs: Record<string, string> | null;
    Memory: number;
    NanoCpus: number;
    Privileged: boolean;
    PidMode: string;
    NetworkMode: string;
    RestartPolicy: { Name: string };
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  };
  NetworkSettings: {
    Networks: Record<string, { Aliases: string[] | null }>;
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
  };
};

async function inspect(name: string): Promise<Inspect> {
  return (JSON.parse(await dockerCli(["container", "inspect", name])) as Inspect[])[0]!;
}

describe.runIf(dockerServicesAvailable())("createPlatformContainer (test dockerd)", () => {
  let image: PushedImage;
  const made: PlatformContainer[] = [];
  beforeAll(async () => {
    image = await pushTemplateImage({
      namespace: testNamespace("platform"),
      runtime: "langgraph",
      marker: "p1",
      keepLocal: true,
    });
  });
  afterAll(async () => {
    for (const container of made) await removePlatformContainer(container);
  });

  it("tier 1: config bind only, read-only root, tmpfs, on the platform network with its alias", async () => {
    const created = await createPlatformContainer({
      image: image.ref,
      runtime: "langgraph",
      tier: 1,
      cmd: TEST_IMAGE_CMD,
      user: "0:0",
      workingDir: "/tmp",
    });
    made.push(created);
    const info = await inspect(created.id);
    expect(info.Name).toBe(`/ws-${created.workspaceId.slice(0, 12)}`);
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env.slice(0, 2)).toEqual([
      `WORKSPACE_ID=${created.workspaceId}`,
      "WORKSPACE_CONFIG_PATH=/configs",
    ]);
    expect(info.Config.Labels).toEqual({ "molecule.platform.managed": "true" });
    expect(info.Config).toMatchObject({ User: "0:0", WorkingDir: "/tmp", Cmd: TEST_IMAGE_CMD });
    expect(info.HostConfig).toMatchObject({
      Binds: [`ws-${created.workspaceId.slice(0, 12)}-configs:/configs`],
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      RestartPolicy: { Name: "unless-stopped" },
    });
    expect(info.NetworkSettings.Networks[PLATFORM_NETWORK]?.Aliases).toContain(created.name);
    expect(info.NetworkSettings.Ports["8000/tcp"]?.[0]?.HostIp).toBe("127.0.0.1");
    const volume = JSON.parse(
      await dockerCli(["volume", "inspect", `ws-${created.workspaceId.slice(0, 12)}-configs`]),
    ) as { Labels: Record<string, string> }[];
    expect(volume[0]?.Labels).toEqual({ "molecule.platform.managed": "true" });
  });

  it("tier 2 claude-code: limits, workspace and sessions volumes", async () => {
    const created = await createPlatformContainer({
      image: image.ref,
      runtime: "claude-code",
      tier: 2,
      cmd: TEST_IMAGE_CMD,
      networkAlias: false,
      healthcheck: { Test: ["CMD", "/bin/busybox", "true"], Interval: 1e9, Retries: 3 },
      extraEnv: ["EXTRA=1"],
      extraLabels: { "x.test": "1" },
    });
    made.push(created);
    const info = await inspect(created.name);
    expect(info.HostConfig).toMatchObject({ Memory: 512 * 1024 * 1024, NanoCpus: 1e9, Privileged: false });
    expect(info.Config.Env.at(-1)).toBe("EXTRA=1");
    expect(info.Config.Labels).toEqual({ "molecule.platform.managed": "true", "x.test": "1" });
    expect(info.Config.Healthcheck?.Test).toEqual(["CMD", "/bin/busybox", "true"]);
    expect(info.HostConfig.Binds).toEqual([
      `ws-${created.workspaceId.slice(0, 12)}-configs:/configs`,
      `ws-${created.workspaceId}-workspace:/workspace`,
      `ws-${created.workspaceId.slice(0, 12)}-claude-sessions:/root/.claude/sessions`,
    ]);
    expect(info.NetworkSettings.Networks[PLATFORM_NETWORK]?.Aliases ?? []).not.toContain(created.name);
  });

  it("tier 4 without Privileged: host PID and network, the daemon's socket bound last", async () => {
    const created = await createPlatformContainer({
      image: image.ref,
      runtime: "langgraph",
      tier: 4,
      cmd: TEST_IMAGE_CMD,
      privileged: false,
      hostNetworkEndpoint: false,
      dockerSocketPath: testDockerSocketPath(),
    });
    made.push(created);
    const info = await inspect(created.name);
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig).toMatchObject({
      PidMode: "host",
      NetworkMode: "host",
      Memory: 4096 * 1024 * 1024,
      Privileged: false,
    });
    expect(info.HostConfig.Binds.at(-1)).toBe(`${testDockerSocketPath()}:/var/run/docker.sock`);
    expect(info.Config.Env).toContain("TIER=4");
  });
});
