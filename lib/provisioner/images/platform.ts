import { type Env, imagesConfig } from "@/lib/config";

/** Platform forced when MOLECULE_IMAGE_PLATFORM is unset. */
export { DEFAULT_IMAGE_PLATFORM } from "@/lib/config";

/** An OCI platform as passed to dockerode's create/pull (`os` + `architecture`). */
export interface OciPlatform {
  os: string;
  architecture: string;
}

/**
 * Platform for pulls and container creates; "" means "let the daemon choose".
 * Set (even to "") → used as is, so an empty value turns forcing off (seed `LookupEnv`).
 * Unset → linux/amd64 on every host. The seed forced it only on darwin/arm64, but the template
 * images ship amd64 only and the seed's compose file defaulted to linux/amd64 anyway, which is
 * what Fleetpin adopts.
 */
export function imagePlatform(env?: Env): string {
  return imagesConfig(env).platform;
}

/**
 * `os/arch` → `{ os, architecture }`, or null for "" and malformed input. Splits at the first
 * `/` only, so `linux/amd64/v8` keeps `amd64/v8` as the architecture, exactly as the seed did.
 */
export function parseOCIPlatform(platform: string): OciPlatform | null {
  const slash = platform.indexOf("/");
  if (slash < 0) return null;
  const os = platform.slice(0, slash);
  const architecture = platform.slice(slash + 1);
  return os !== "" && architecture !== "" ? { os, architecture } : null;
}
