/**
 * Recreate = clone. The create request for a container that replaces `container` on another
 * image, built from the old container's full inspected configuration the way
 * `docker compose up --force-recreate`, Portainer's "Recreate" and Watchtower do it: every
 * setting the container was created with is kept, and only what the container merely
 * inherited from its old image is left out, so the new image's defaults apply instead.
 *
 * Pure: (old container inspect, old image inspect, new image ref) → create request. The raw
 * Engine API JSON is copied key by key, so settings this module does not know (a newer
 * daemon's) are kept too rather than silently dropped.
 */
import { isDeepStrictEqual } from "node:util";

import type {
  ContainerCreateRequest,
  ContainerInspect,
  ExtraNetwork,
  ImageInspect,
  InspectConfig,
  InspectEndpoint,
  InspectMount,
  Json,
} from "./inspect-types";

/** What a clone is made from. */
export interface CloneInput {
  container: ContainerInspect;
  /** The old image's inspect; null when it is gone, and then nothing can be told apart, so everything is kept. */
  oldImage: ImageInspect | null;
  /** The new image reference (`<repo>@sha256:…`). */
  image: string;
  /** Labels to set on top of the container's own (Fleetpin's identity labels). */
  labels?: Record<string, string>;
  platform?: string;
}

// Config keys that the image supplies when the container does not: kept only where the
// container's value differs from the old image's.
const IMAGE_DEFAULTED_KEYS = ["WorkingDir", "User", "Healthcheck", "StopSignal", "Shell"] as const;
// Config keys that describe the image, not the container: never copied.
const IMAGE_ONLY_KEYS = ["OnBuild", "ArgsEscaped", "Image"] as const;

/** The create request for a clone of `container` on `image` (see the module comment for the rules). */
export function cloneCreateRequest(input: CloneInput): ContainerCreateRequest {
  const { container, oldImage } = input;
  const defaults: InspectConfig | null = oldImage ? (oldImage.Config ?? {}) : null;
  const networkMode = String(container.HostConfig.NetworkMode ?? "");
  const config: Json = { ...container.Config };

  for (const key of IMAGE_ONLY_KEYS) delete config[key];
  if (defaults) {
    for (const key of IMAGE_DEFAULTED_KEYS) {
      if (key in config && isDeepStrictEqual(normalizeEmpty(config[key]), normalizeEmpty(defaults[key])))
        delete config[key];
    }
    cloneCommand(config, container.Config, defaults);
    config.Env = ownEnv(container.Config.Env ?? [], defaults.Env ?? []);
    config.ExposedPorts = ownKeys(container.Config.ExposedPorts, defaults.ExposedPorts);
    config.Volumes = ownKeys(container.Config.Volumes, defaults.Volumes);
    config.Labels = ownLabels(container.Config.Labels, defaults.Labels);
  }
  config.Labels = { ...((config.Labels as Record<string, string> | null | undefined) ?? {}), ...(input.labels ?? {}) };
  for (const key of ["ExposedPorts", "Volumes"])
    if (config[key] === null || config[key] === undefined) delete config[key];

  // Docker sets the hostname to the short container ID when none was asked for; in host or
  // container network mode it is the other namespace's and may not be set at all.
  const sharesUts = networkMode === "host" || networkMode.startsWith("container:");
  if (sharesUts || !config.Hostname || config.Hostname === container.Id.slice(0, 12)) delete config.Hostname;
  if (sharesUts || !config.Domainname) delete config.Domainname;
  if (sharesUts || !config.MacAddress) delete config.MacAddress;

  const { primary, extra } = cloneNetworks(container, networkMode);
  return {
    name: container.Name.replace(/^\//, ""),
    ...(input.platform ? { platform: input.platform } : {}),
    body: {
      ...config,
      Image: input.image,
      HostConfig: cloneHostConfig(container),
      ...(primary ? { NetworkingConfig: { EndpointsConfig: { [primary.name]: primary.endpoint } } } : {}),
    },
    extraNetworks: extra,
  };
}

/**
 * Entrypoint and Cmd go together (Watchtower's rule): an entrypoint equal to the image's is
 * left to the new image, and then so is a Cmd equal to the image's; a container with its own
 * entrypoint keeps its Cmd whatever it is, since Docker drops the image's Cmd in that case.
 */
function cloneCommand(config: Json, own: InspectConfig, defaults: InspectConfig): void {
  if (!isDeepStrictEqual(normalizeEmpty(asList(own.Entrypoint)), normalizeEmpty(asList(defaults.Entrypoint)))) return;
  delete config.Entrypoint;
  if (isDeepStrictEqual(normalizeEmpty(own.Cmd), normalizeEmpty(defaults.Cmd))) delete config.Cmd;
}

/** The container's own variables: an entry exactly as the old image had it came from the image. */
export function ownEnv(env: readonly string[], imageEnv: readonly string[]): string[] {
  const inherited = new Set(imageEnv);
  return env.filter((entry) => !inherited.has(entry));
}

function ownKeys(
  own: Record<string, Json> | null | undefined,
  image: Record<string, Json> | null | undefined,
): Record<string, Json> | null {
  const kept = Object.entries(own ?? {}).filter(([key]) => !(image && key in image));
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

function ownLabels(
  own: Record<string, string> | null | undefined,
  image: Record<string, string> | null | undefined,
): Record<string, string> {
  return Object.fromEntries(Object.entries(own ?? {}).filter(([key, value]) => image?.[key] !== value));
}

/**
 * HostConfig is the container's, all of it (ports, resources, security options, privileged,
 * pid/ipc/network modes, tmpfs, devices, ulimits, log config, restart policy, binds, mounts,
 * extra hosts, DNS), with three repairs: links back in create form, no container-ID file (the
 * old one would refuse the create), and anonymous volumes mounted by name so their data stays.
 */
function cloneHostConfig(container: ContainerInspect): Json {
  const host: Json = { ...container.HostConfig };
  delete host.ContainerIDFile;
  if (Array.isArray(container.HostConfig.Links) && container.HostConfig.Links.length > 0) {
    host.Links = container.HostConfig.Links.map(createFormLink);
  }
  const anonymous = uncoveredVolumes(container);
  if (anonymous.length > 0) {
    host.Mounts = [
      ...(container.HostConfig.Mounts ?? []),
      ...anonymous.map((mount) => ({
        Type: "volume",
        Source: mount.Name,
        Target: mount.Destination,
        ReadOnly: mount.RW === false,
      })),
    ];
  }
  return host;
}

// Inspect shows links as `/db:/ws-abc/database`; create wants `db:database`.
function createFormLink(link: string): string {
  const match = /^\/?([^:]+):\/?(?:[^/]+\/)*([^/]+)$/.exec(link);
  return match ? `${match[1]}:${match[2]}` : link;
}

/** Volumes mounted without a bind or mount entry (anonymous ones, or an image VOLUME): a new container would get empty ones. */
function uncoveredVolumes(container: ContainerInspect): (InspectMount & { Name: string })[] {
  const covered = new Set<string>();
  for (const bind of container.HostConfig.Binds ?? []) {
    const target = bind.split(":")[1];
    if (target) covered.add(target);
  }
  for (const mount of container.HostConfig.Mounts ?? [])
    if (typeof mount.Target === "string") covered.add(mount.Target);
  for (const target of Object.keys(container.HostConfig.Tmpfs ?? {})) covered.add(target);
  return (container.Mounts ?? []).filter(
    (mount): mount is InspectMount & { Name: string } =>
      mount.Type === "volume" && !!mount.Name && !covered.has(mount.Destination),
  );
}

/**
 * The networks with their aliases, static addresses, links and driver options; the short-ID
 * alias Docker adds by itself is dropped (the new container gets its own). The network named
 * by NetworkMode goes into the create call, the others are connected before start.
 */
function cloneNetworks(
  container: ContainerInspect,
  networkMode: string,
): { primary: ExtraNetwork | null; extra: ExtraNetwork[] } {
  if (networkMode === "host" || networkMode === "none" || networkMode.startsWith("container:"))
    return { primary: null, extra: [] };
  const shortId = container.Id.slice(0, 12);
  const endpoints = Object.entries(container.NetworkSettings?.Networks ?? {}).map(([name, endpoint]): ExtraNetwork => {
    const cloned: InspectEndpoint = {};
    const aliases = (endpoint.Aliases ?? []).filter((alias) => alias !== shortId);
    if (aliases.length > 0) cloned.Aliases = aliases;
    if (endpoint.Links && endpoint.Links.length > 0) cloned.Links = endpoint.Links;
    if (endpoint.IPAMConfig && Object.values(endpoint.IPAMConfig).some((value) => !isEmpty(value)))
      cloned.IPAMConfig = endpoint.IPAMConfig;
    if (endpoint.DriverOpts && Object.keys(endpoint.DriverOpts).length > 0) cloned.DriverOpts = endpoint.DriverOpts;
    return { name, endpoint: cloned };
  });
  const primaryName = networkMode === "" || networkMode === "default" ? "bridge" : networkMode;
  // A container created with NetworkMode "default" and one network in the create call (the
  // platform's way) never joined the bridge: that network is the one to create it with.
  const primary = endpoints.find((network) => network.name === primaryName) ?? endpoints[0] ?? null;
  return { primary, extra: endpoints.filter((network) => network !== primary) };
}

function asList(value: string[] | string | null | undefined): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? [value] : value;
}

// Docker reports "not set" as null, [], "" or a missing key depending on the field and version.
function normalizeEmpty(value: unknown): unknown {
  return isEmpty(value) ? null : value;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value as object).length === 0;
  return false;
}
