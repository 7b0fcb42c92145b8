/** Docker engine and image settings (DOCKER_*, MOLECULE_IMAGE_PLATFORM, WORKSPACE_IMAGE_LOCAL_OVERRIDE). */
import { flag, issue, optionalText, raw } from "./fields";
import { defineSlice } from "./slice";

export interface DockerConfig {
  /** DOCKER_HOST as set (trimmed), or undefined for the default socket. */
  host: string | undefined;
  /** DOCKER_TLS_VERIFY=1: TLS for a tcp:// host. */
  tlsVerify: boolean;
  /** DOCKER_CERT_PATH: folder of ca.pem, cert.pem, key.pem. */
  certPath: string | undefined;
}

export const docker = defineSlice(
  {
    DOCKER_HOST: optionalText().transform((host, ctx) => {
      if (host !== undefined && !isDockerHost(host)) {
        issue(
          ctx,
          "DOCKER_HOST",
          `DOCKER_HOST must be unix:///path/to/socket, tcp://host:port or http(s)://host:port, got "${host}"`,
        );
      }
      return host;
    }),
    DOCKER_TLS_VERIFY: flag("DOCKER_TLS_VERIFY", false),
    DOCKER_CERT_PATH: optionalText(),
  },
  (values): DockerConfig => ({
    host: values.DOCKER_HOST,
    tlsVerify: values.DOCKER_TLS_VERIFY,
    certPath: values.DOCKER_CERT_PATH,
  }),
);

/** The forms lib/provisioner/docker/connection.ts connects to (a bare host:port is tcp). */
function isDockerHost(host: string): boolean {
  if (host.startsWith("unix://")) return true;
  try {
    const url = new URL(host.includes("://") ? host : `tcp://${host}`);
    return ["tcp:", "http:", "https:"].includes(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Platform forced when MOLECULE_IMAGE_PLATFORM is unset. */
export const DEFAULT_IMAGE_PLATFORM = "linux/amd64";

export interface ImagesConfig {
  /**
   * Platform for pulls and container creates; "" means "let the daemon choose". Set (even to "")
   * → used as is, so an empty value turns forcing off (seed `LookupEnv`); unset → linux/amd64.
   */
  platform: string;
  /** WORKSPACE_IMAGE_LOCAL_OVERRIDE set to any non-empty value, even "0" (seed semantics): ignore pins. */
  localOverride: boolean;
}

export const images = defineSlice(
  { MOLECULE_IMAGE_PLATFORM: raw(), WORKSPACE_IMAGE_LOCAL_OVERRIDE: raw() },
  (values): ImagesConfig => ({
    platform: values.MOLECULE_IMAGE_PLATFORM !== undefined ? values.MOLECULE_IMAGE_PLATFORM : DEFAULT_IMAGE_PLATFORM,
    localOverride: (values.WORKSPACE_IMAGE_LOCAL_OVERRIDE ?? "") !== "",
  }),
);
