// The create request of a workspace container made the way the PLATFORM makes it (seed
// provisioner.go `Start()`, spec §3), not the way Fleetpin does: only the `molecule.platform.managed`
// label, the full workspace ID only in `WORKSPACE_ID=`, name `ws-<id12>`, network
// `molecule-monorepo-net` with the name as alias, and the tier settings of `ApplyTierConfig`.
// Pure and free of server-only imports, so Playwright specs can use it too (test/platform-containers.ts
// re-exports it beside the helpers that send it to the test dockerd).
import { randomUUID } from "node:crypto";

import {
  claudeSessionsVolumeName,
  configVolumeName,
  containerName,
  LABEL_MANAGED,
  workspaceVolumeName,
} from "@/lib/provisioner/containers/naming";

/** The seed's DefaultNetwork. */
export const PLATFORM_NETWORK = "molecule-monorepo-net";
/** PLATFORM_URL / MOLECULE_URL the fixture writes unless told otherwise. */
export const DEFAULT_PLATFORM_URL = "http://platform:8080";

export type PlatformTier = 1 | 2 | 3 | 4;

/** A Docker Engine API healthcheck (durations in nanoseconds). */
export interface PlatformHealthcheck {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

export interface PlatformContainerOptions {
  /** Full workspace ID; default a random UUID. Written to WORKSPACE_ID and the workspace volume name. */
  workspaceId?: string;
  /** Image reference exactly as Config.Image will hold it (tag, digest, or an image ID). */
  image: string;
  /** Runtime the platform provisioned; only `claude-code` changes the container (sessions volume). */
  runtime: string;
  /** Default 2 (the seed's fallback for 0/unknown tiers too). */
  tier?: PlatformTier;
  /** Default DEFAULT_PLATFORM_URL. */
  platformUrl?: string;
  /** AWARENESS_NAMESPACE + AWARENESS_URL, written only when both are non-empty (as the seed does). */
  awareness?: { namespace: string; url: string };
  /** `KEY=value` entries appended after the platform's own (cfg.EnvVars). */
  extraEnv?: string[];
  /** Labels beyond the managed one (the platform sets none; use to fake foreign or conflicting labels). */
  extraLabels?: Record<string, string>;
  /** Container name; default `ws-<id12>` (override to make name and ID disagree). */
  name?: string;
  cmd?: string[];
  user?: string;
  healthcheck?: PlatformHealthcheck;
  workingDir?: string;
  /**
   * Default true, as the platform sets for tiers 3 and 4. Privileged containers cannot start in
   * the test sandbox (runc: "unable to apply caps"), so integration tests pass false, which drops
   * ONLY `Privileged`; that field is covered by pure-function tables over this request instead.
   */
  privileged?: boolean;
  /** Default true: the endpoint on PLATFORM_NETWORK carries the container name as alias; false: no aliases. */
  networkAlias?: boolean;
  /**
   * Default true, as the platform sends it: tier 4 has NetworkMode host AND the PLATFORM_NETWORK
   * endpoint. dockerd creates that but cannot start it ("cannot program address … conflicts with
   * existing route"), so integration tests of tier 4 pass false to drop NetworkingConfig.
   */
  hostNetworkEndpoint?: boolean;
  /** Tier 4 binds this host socket at /var/run/docker.sock; default the seed's /var/run/docker.sock. */
  dockerSocketPath?: string;
  /**
   * Default true, as the platform does: 8000/tcp on a free loopback port. Tests running many platform
   * containers on several engines of ONE machine pass false: each dockerd hands out "free" ports from
   * the same range without knowing the others', so two engines bind the same port.
   */
  publishPort?: boolean;
  /** Caps NanoCpus (the daemon refuses more than it has CPUs: tier 4 asks for 4). Default: no cap. */
  maxNanoCpus?: number;
}

/** The Engine API `POST /containers/create` body (fields the platform sets, plus the fixture's extras). */
export interface PlatformCreateBody {
  Image: string;
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  Cmd?: string[];
  User?: string;
  Healthcheck?: PlatformHealthcheck;
  WorkingDir?: string;
  HostConfig: {
    Binds: string[];
    RestartPolicy: { Name: "unless-stopped" };
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    ReadonlyRootfs?: boolean;
    Tmpfs?: Record<string, string>;
    Memory?: number;
    NanoCpus?: number;
    Privileged?: boolean;
    PidMode?: string;
    NetworkMode?: string;
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
}

/** What `platformCreateRequest` returns: the `?name=` query value, the body, and the volumes Start() creates first. */
export interface PlatformCreateRequest {
  name: string;
  workspaceId: string;
  body: PlatformCreateBody;
  /** Volumes created explicitly before the container (labelled managed); the workspace volume is implicit. */
  volumes: { name: string; labels: Record<string, string> }[];
}

const MIB = 1024 * 1024;
// ApplyTierConfig: memory MiB and CPU shares (NanoCPUs = shares·1e9/1024).
const TIER_LIMITS: Record<2 | 3 | 4, { memoryMb: number; shares: number }> = {
  2: { memoryMb: 512, shares: 1024 },
  3: { memoryMb: 2048, shares: 2048 },
  4: { memoryMb: 4096, shares: 4096 },
};

/** The container the platform's Start() creates for these options (pure). */
export function platformCreateRequest(options: PlatformContainerOptions): PlatformCreateRequest {
  const workspaceId = options.workspaceId ?? randomUUID();
  const tier = options.tier ?? 2;
  const name = options.name ?? containerName(workspaceId);
  const url = options.platformUrl ?? DEFAULT_PLATFORM_URL;
  const env = [
    `WORKSPACE_ID=${workspaceId}`,
    "WORKSPACE_CONFIG_PATH=/configs",
    `PLATFORM_URL=${url}`,
    `MOLECULE_URL=${url}`,
    `TIER=${tier}`,
    "PLUGINS_DIR=/plugins",
    "PYTHONPATH=/app",
  ];
  if (options.awareness?.namespace && options.awareness.url) {
    env.push(`AWARENESS_NAMESPACE=${options.awareness.namespace}`, `AWARENESS_URL=${options.awareness.url}`);
  }
  env.push(...(options.extraEnv ?? []));

  const managed = { [LABEL_MANAGED]: "true" };
  const configBind = `${configVolumeName(workspaceId)}:/configs`;
  const binds = [configBind, `${workspaceVolumeName(workspaceId)}:/workspace`];
  const volumes = [{ name: configVolumeName(workspaceId), labels: managed }];
  if (options.runtime === "claude-code") {
    volumes.push({ name: claudeSessionsVolumeName(workspaceId), labels: managed });
    binds.push(`${claudeSessionsVolumeName(workspaceId)}:/root/.claude/sessions`);
  }

  const host: PlatformCreateBody["HostConfig"] = {
    Binds: binds,
    RestartPolicy: { Name: "unless-stopped" },
    PortBindings: options.publishPort === false ? {} : { "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
  };
  if (tier === 1) {
    host.Binds = [configBind]; // drops the workspace and claude-sessions binds too, as the seed does
    host.ReadonlyRootfs = true;
    host.Tmpfs = { "/tmp": "rw,noexec,nosuid,size=64m" };
  } else {
    const limits = TIER_LIMITS[tier];
    host.Memory = limits.memoryMb * MIB;
    const nanoCpus = (limits.shares * 1e9) / 1024;
    host.NanoCpus = options.maxNanoCpus === undefined ? nanoCpus : Math.min(nanoCpus, options.maxNanoCpus);
    if (tier >= 3) {
      if (options.privileged ?? true) host.Privileged = true;
      host.PidMode = "host";
    }
    if (tier === 4) {
      host.NetworkMode = "host";
      host.Binds.push(`${options.dockerSocketPath ?? "/var/run/docker.sock"}:/var/run/docker.sock`);
    }
  }

  const body: PlatformCreateBody = {
    Image: options.image,
    Env: env,
    Labels: { ...(options.extraLabels ?? {}), ...managed },
    ExposedPorts: { "8000/tcp": {} },
    HostConfig: host,
  };
  if (options.cmd) body.Cmd = options.cmd;
  if (options.user !== undefined) body.User = options.user;
  if (options.healthcheck) body.Healthcheck = options.healthcheck;
  if (options.workingDir !== undefined) body.WorkingDir = options.workingDir;
  if (!(tier === 4 && options.hostNetworkEndpoint === false)) {
    body.NetworkingConfig = {
      EndpointsConfig: { [PLATFORM_NETWORK]: (options.networkAlias ?? true) ? { Aliases: [name] } : {} },
    };
  }
  return { name, workspaceId, body, volumes };
}
