import { describe, expect, it } from "vitest";

import { cloneCreateRequest, ownEnv } from "./clone";
import type { ContainerInspect, ImageInspect, InspectConfig } from "./inspect-types";

const ID = "0123456789ab" + "c".repeat(52);
const NEW_IMAGE = `registry.test/ns/workspace-template-hermes@sha256:${"b".repeat(64)}`;
const FLEETPIN_LABELS = {
  "molecule.workspace.id": "0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e",
  "molecule.workspace.template": "hermes",
};

const IMAGE_CONFIG: InspectConfig = {
  Env: ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8"],
  Cmd: ["python", "-m", "agent"],
  Entrypoint: ["/entrypoint.sh"],
  WorkingDir: "/app",
  User: "agent",
  Healthcheck: { Test: ["CMD", "/healthz"], Interval: 30_000_000_000 },
  ExposedPorts: { "8000/tcp": {} },
  Volumes: { "/data": {} },
  Labels: { "org.opencontainers.image.version": "1.0", vendor: "molecule" },
  StopSignal: "SIGINT",
  OnBuild: ["RUN echo"],
};
const OLD_IMAGE: ImageInspect = { Id: "sha256:old", Config: IMAGE_CONFIG };

/** A container as the platform's Start() leaves it (tier 2), after `docker inspect`. */
function platformContainer(
  overrides: {
    Config?: Partial<InspectConfig>;
    HostConfig?: Record<string, unknown>;
    Networks?: ContainerInspect["NetworkSettings"];
    Mounts?: ContainerInspect["Mounts"];
  } = {},
): ContainerInspect {
  return {
    Id: ID,
    Name: "/ws-0b6e3c1a-1f2",
    Image: "sha256:old",
    Config: {
      Hostname: ID.slice(0, 12),
      Domainname: "",
      User: "agent",
      AttachStdin: false,
      Tty: false,
      Env: [
        "WORKSPACE_ID=0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e",
        "WORKSPACE_CONFIG_PATH=/configs",
        "PLATFORM_URL=http://platform:8080",
        "TIER=2",
        "PATH=/usr/local/bin:/usr/bin",
        "LANG=C.UTF-8",
      ],
      Cmd: ["python", "-m", "agent"],
      Entrypoint: ["/entrypoint.sh"],
      WorkingDir: "/app",
      Healthcheck: { Test: ["CMD", "/healthz"], Interval: 30_000_000_000 },
      ExposedPorts: { "8000/tcp": {} },
      Volumes: { "/data": {} },
      Labels: { "molecule.platform.managed": "true", "org.opencontainers.image.version": "1.0", vendor: "molecule" },
      StopSignal: "SIGINT",
      OnBuild: null,
      Image: "registry.test/ns/workspace-template-hermes:latest",
      ...overrides.Config,
    },
    HostConfig: {
      Binds: ["ws-0b6e3c1a-1f2-configs:/configs", "ws-0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e-workspace:/workspace"],
      NetworkMode: "molecule-monorepo-net",
      PortBindings: { "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
      RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
      Memory: 536_870_912,
      NanoCpus: 1_000_000_000,
      ...overrides.HostConfig,
    },
    NetworkSettings: overrides.Networks ?? {
      Networks: {
        "molecule-monorepo-net": {
          Aliases: ["ws-0b6e3c1a-1f2", ID.slice(0, 12)],
          NetworkID: "n1",
          IPAddress: "172.18.0.5",
          MacAddress: "02:42:ac:12:00:05",
        },
      },
    },
    Mounts: overrides.Mounts ?? [
      { Type: "volume", Name: "ws-0b6e3c1a-1f2-configs", Destination: "/configs", RW: true },
      {
        Type: "volume",
        Name: "ws-0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e-workspace",
        Destination: "/workspace",
        RW: true,
      },
      { Type: "volume", Name: "f".repeat(64), Destination: "/data", RW: true },
    ],
  };
}

function clone(container: ContainerInspect, oldImage: ImageInspect | null = OLD_IMAGE) {
  return cloneCreateRequest({
    container,
    oldImage,
    image: NEW_IMAGE,
    labels: FLEETPIN_LABELS,
    platform: "linux/amd64",
  });
}

describe("cloneCreateRequest: what the image supplied is left to the new image", () => {
  const request = clone(platformContainer());

  it.each([
    ["Cmd (equal to the image's, with the image's entrypoint)", "Cmd"],
    ["Entrypoint", "Entrypoint"],
    ["WorkingDir", "WorkingDir"],
    ["User", "User"],
    ["Healthcheck", "Healthcheck"],
    ["StopSignal", "StopSignal"],
    ["ExposedPorts", "ExposedPorts"],
    ["Volumes", "Volumes"],
    ["Hostname (the short container ID Docker made up)", "Hostname"],
    ["Domainname (empty)", "Domainname"],
    ["OnBuild (image metadata)", "OnBuild"],
  ])("%s", (_, key) => {
    expect(request.body).not.toHaveProperty(key);
  });

  it("keeps the container's own variables in order and drops the ones the old image set", () => {
    expect(request.body.Env).toEqual([
      "WORKSPACE_ID=0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e",
      "WORKSPACE_CONFIG_PATH=/configs",
      "PLATFORM_URL=http://platform:8080",
      "TIER=2",
    ]);
  });

  it("keeps labels the container set, drops the image's, and adds Fleetpin's", () => {
    expect(request.body.Labels).toEqual({ "molecule.platform.managed": "true", ...FLEETPIN_LABELS });
  });

  it("uses the new image and keeps the name and platform", () => {
    expect(request.body.Image).toBe(NEW_IMAGE);
    expect(request.name).toBe("ws-0b6e3c1a-1f2");
    expect(request.platform).toBe("linux/amd64");
  });
});

describe("cloneCreateRequest: what the container set itself is kept", () => {
  it.each<[string, Partial<InspectConfig>, Record<string, unknown>]>([
    ["own Cmd", { Cmd: ["sleep", "infinity"] }, { Cmd: ["sleep", "infinity"] }],
    ["own WorkingDir", { WorkingDir: "/workspace" }, { WorkingDir: "/workspace" }],
    ["own User", { User: "1000:1000" }, { User: "1000:1000" }],
    [
      "own Healthcheck",
      { Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 1_000_000_000 } },
      { Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 1_000_000_000 } },
    ],
    ["a disabled healthcheck", { Healthcheck: { Test: ["NONE"] } }, { Healthcheck: { Test: ["NONE"] } }],
    ["own StopSignal", { StopSignal: "SIGTERM" }, { StopSignal: "SIGTERM" }],
    ["an explicit hostname", { Hostname: "agent-7" }, { Hostname: "agent-7" }],
    ["an explicit domain name", { Domainname: "corp.example" }, { Domainname: "corp.example" }],
    [
      "own exposed ports (the image's are dropped)",
      { ExposedPorts: { "8000/tcp": {}, "9090/tcp": {} } },
      { ExposedPorts: { "9090/tcp": {} } },
    ],
    [
      "own volumes (the image's are dropped)",
      { Volumes: { "/data": {}, "/cache": {} } },
      { Volumes: { "/cache": {} } },
    ],
    [
      "a variable that overrides the image's value",
      { Env: ["LANG=de_DE.UTF-8", "PATH=/usr/local/bin:/usr/bin"] },
      { Env: ["LANG=de_DE.UTF-8"] },
    ],
    ["an overridden image label", { Labels: { vendor: "acme" } }, { Labels: { vendor: "acme", ...FLEETPIN_LABELS } }],
    ["Tty and stdin settings", { Tty: true, OpenStdin: true }, { Tty: true, OpenStdin: true }],
  ])("%s", (_, own, expected) => {
    expect(clone(platformContainer({ Config: own })).body).toMatchObject(expected);
  });

  it("keeps the Cmd with an own entrypoint even when the Cmd equals the image's (Docker would drop the image's)", () => {
    const body = clone(platformContainer({ Config: { Entrypoint: ["/bin/tini", "--"] } })).body;
    expect(body.Entrypoint).toEqual(["/bin/tini", "--"]);
    expect(body.Cmd).toEqual(["python", "-m", "agent"]);
  });

  it("keeps everything as it is when the old image is gone (nothing can be told apart)", () => {
    const container = platformContainer();
    const body = clone(container, null).body;
    expect(body.Env).toEqual(container.Config.Env);
    expect(body).toMatchObject({
      Cmd: container.Config.Cmd,
      Entrypoint: container.Config.Entrypoint,
      WorkingDir: "/app",
      User: "agent",
      Healthcheck: container.Config.Healthcheck,
    });
    expect(body.Labels).toEqual({ ...container.Config.Labels, ...FLEETPIN_LABELS });
  });
});

describe("cloneCreateRequest: HostConfig is kept whole", () => {
  // Every HostConfig field the platform's tiers and operators set. Privileged containers cannot
  // start in the test sandbox (runc: "unable to apply caps"), so tiers 3 and 4 are covered here.
  const everything = {
    Binds: ["ws-x-configs:/configs", "/var/run/docker.sock:/var/run/docker.sock"],
    Mounts: [{ Type: "volume", Source: "named", Target: "/named" }],
    PortBindings: { "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
    Memory: 4_294_967_296,
    NanoCpus: 4_000_000_000,
    CpuShares: 4096,
    PidsLimit: 512,
    Privileged: true,
    PidMode: "host",
    IpcMode: "shareable",
    CapAdd: ["NET_ADMIN"],
    CapDrop: ["ALL"],
    SecurityOpt: ["no-new-privileges"],
    ReadonlyRootfs: true,
    Tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
    Devices: [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }],
    Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }],
    LogConfig: { Type: "json-file", Config: { "max-size": "10m" } },
    RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
    ExtraHosts: ["platform:10.0.0.1"],
    Dns: ["10.0.0.53"],
    DnsSearch: ["corp"],
    GroupAdd: ["docker"],
    ShmSize: 67_108_864,
    Sysctls: { "net.core.somaxconn": "1024" },
    Init: true,
    NetworkMode: "molecule-monorepo-net",
  };

  it("copies every field unchanged", () => {
    const body = clone(platformContainer({ HostConfig: everything, Mounts: [] })).body;
    expect(body.HostConfig).toEqual(everything);
  });

  it.each([
    [
      "tier 1 (read-only root, /tmp tmpfs, config bind only)",
      { Binds: ["ws-x-configs:/configs"], ReadonlyRootfs: true, Tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" } },
    ],
    [
      "tier 3 (privileged, host PID, 2 GiB)",
      { Privileged: true, PidMode: "host", Memory: 2_147_483_648, NanoCpus: 2_000_000_000 },
    ],
    [
      "tier 4 (host network, docker.sock last)",
      {
        Privileged: true,
        PidMode: "host",
        NetworkMode: "host",
        Binds: ["ws-x-configs:/configs", "/var/run/docker.sock:/var/run/docker.sock"],
        Memory: 4_294_967_296,
      },
    ],
  ])("%s", (_, tier) => {
    const body = clone(platformContainer({ HostConfig: tier, Mounts: [] })).body;
    expect(body.HostConfig).toMatchObject(tier);
  });

  it("drops a container-ID file, which would make the create fail while the old one exists", () => {
    expect(
      clone(platformContainer({ HostConfig: { ContainerIDFile: "/run/ws.cid" } })).body.HostConfig,
    ).not.toHaveProperty("ContainerIDFile");
  });

  it("turns links back into create form", () => {
    expect(
      clone(platformContainer({ HostConfig: { Links: ["/db:/ws-0b6e3c1a-1f2/database"] } })).body.HostConfig.Links,
    ).toEqual(["db:database"]);
  });

  it("mounts anonymous volumes by name so their data stays", () => {
    const mounts = clone(platformContainer()).body.HostConfig.Mounts;
    expect(mounts).toEqual([{ Type: "volume", Source: "f".repeat(64), Target: "/data", ReadOnly: false }]);
  });
});

describe("cloneCreateRequest: networks", () => {
  it("joins the network with its aliases, without the old short-ID alias or the old address", () => {
    const request = clone(platformContainer());
    expect(request.body.NetworkingConfig).toEqual({
      EndpointsConfig: { "molecule-monorepo-net": { Aliases: ["ws-0b6e3c1a-1f2"] } },
    });
    expect(request.extraNetworks).toEqual([]);
  });

  it("keeps static addresses, links and driver options, and connects further networks after create", () => {
    const request = clone(
      platformContainer({
        Networks: {
          Networks: {
            "molecule-monorepo-net": {
              Aliases: ["ws-a"],
              IPAMConfig: { IPv4Address: "172.18.0.50" },
              Links: ["db:db"],
            },
            backplane: { Aliases: null, IPAMConfig: { IPv4Address: "" }, DriverOpts: { "com.example.opt": "1" } },
          },
        },
      }),
    );
    expect(request.body.NetworkingConfig).toEqual({
      EndpointsConfig: {
        "molecule-monorepo-net": { Aliases: ["ws-a"], IPAMConfig: { IPv4Address: "172.18.0.50" }, Links: ["db:db"] },
      },
    });
    expect(request.extraNetworks).toEqual([
      { name: "backplane", endpoint: { DriverOpts: { "com.example.opt": "1" } } },
    ]);
  });

  it("creates with the platform's network when NetworkMode is default and the container never joined the bridge", () => {
    const request = clone(platformContainer({ HostConfig: { NetworkMode: "default" } }));
    expect(request.body.NetworkingConfig).toEqual({
      EndpointsConfig: { "molecule-monorepo-net": { Aliases: ["ws-0b6e3c1a-1f2"] } },
    });
    expect(request.extraNetworks).toEqual([]);
    expect(request.body.HostConfig.NetworkMode).toBe("default");
  });

  it("uses the bridge network for NetworkMode default", () => {
    const request = clone(
      platformContainer({
        HostConfig: { NetworkMode: "default" },
        Networks: { Networks: { bridge: { Aliases: null } } },
      }),
    );
    expect(request.body.NetworkingConfig).toEqual({ EndpointsConfig: { bridge: {} } });
  });

  it.each(["host", "none", "container:abc"])("creates no endpoint in %s mode, and sets no hostname there", (mode) => {
    const request = clone(
      platformContainer({
        HostConfig: { NetworkMode: mode },
        Config: { Hostname: "buildhost", Domainname: "corp" },
        Networks: { Networks: { [mode]: {} } },
      }),
    );
    expect(request.body).not.toHaveProperty("NetworkingConfig");
    expect(request.extraNetworks).toEqual([]);
    if (mode !== "none") expect(request.body).not.toHaveProperty("Hostname");
    expect(request.body.HostConfig.NetworkMode).toBe(mode);
  });
});

describe("ownEnv", () => {
  it("keeps only entries not inherited verbatim from the image", () => {
    expect(ownEnv(["A=1", "B=2", "C=3"], ["B=2", "C=4"])).toEqual(["A=1", "C=3"]);
  });
});
