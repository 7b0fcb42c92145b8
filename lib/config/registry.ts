/** Registry settings: the template images' prefix, credentials, and hosts reached over plain HTTP. */
import { issue, optionalText, raw } from "./fields";
import { defineSlice } from "./slice";

/** Registry prefix used when MOLECULE_IMAGE_REGISTRY is unset, empty or blank. */
export const DEFAULT_REGISTRY_PREFIX = "ghcr.io/molecule-ai";

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryConfig {
  /** MOLECULE_IMAGE_REGISTRY without surrounding whitespace and trailing slashes, or the default. */
  imagePrefix: string;
  /** FLEETPIN_REGISTRY_USERNAME/PASSWORD: for the image prefix's host only. */
  credentials: RegistryCredentials | undefined;
  /** GHCR_USER/GHCR_TOKEN (the seed's variables): for ghcr.io, when both are non-blank. */
  ghcrCredentials: RegistryCredentials | undefined;
  /** FLEETPIN_INSECURE_REGISTRIES: lower-case hosts (an entry without port covers every port). */
  insecureRegistries: readonly string[];
}

/**
 * The prefix, trimmed of surrounding whitespace and trailing slashes, or the default. The seed used
 * the value verbatim, so `ghcr.io/x/` produced `ghcr.io/x//workspace-template-…`, which Docker
 * rejects; trimming is a deliberate fix.
 */
export function normalizeRegistryPrefix(value: string | undefined): string {
  const prefix = (value ?? "").trim().replace(/[\s/]+$/, "");
  return prefix === "" ? DEFAULT_REGISTRY_PREFIX : prefix;
}

/** Comma-separated hosts → lower-case hosts, scheme and trailing slashes dropped, blanks skipped. */
export function parseInsecureRegistries(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, "")
        .replace(/\/+$/, ""),
    )
    .filter((entry) => entry !== "");
}

export const registry = defineSlice(
  {
    MOLECULE_IMAGE_REGISTRY: raw(),
    FLEETPIN_REGISTRY_USERNAME: optionalText(),
    FLEETPIN_REGISTRY_PASSWORD: optionalText(),
    GHCR_USER: optionalText(),
    GHCR_TOKEN: optionalText(),
    FLEETPIN_INSECURE_REGISTRIES: raw(),
  },
  (values, ctx): RegistryConfig => {
    const username = values.FLEETPIN_REGISTRY_USERNAME;
    const password = values.FLEETPIN_REGISTRY_PASSWORD;
    if ((username === undefined) !== (password === undefined)) {
      const missing = username === undefined ? "FLEETPIN_REGISTRY_USERNAME" : "FLEETPIN_REGISTRY_PASSWORD";
      issue(
        ctx,
        missing,
        `${missing} is empty: set both FLEETPIN_REGISTRY_USERNAME and FLEETPIN_REGISTRY_PASSWORD, or neither`,
      );
    }
    const user = values.GHCR_USER;
    const token = values.GHCR_TOKEN;
    return {
      imagePrefix: normalizeRegistryPrefix(values.MOLECULE_IMAGE_REGISTRY),
      credentials: username && password ? { username, password } : undefined,
      ghcrCredentials: user && token ? { username: user, password: token } : undefined,
      insecureRegistries: Object.freeze(parseInsecureRegistries(values.FLEETPIN_INSECURE_REGISTRIES)),
    };
  },
);
