import { describe, expect, it } from "vitest";

import { DEFAULT_REGISTRY_PREFIX, normalizeRegistryPrefix, registryConfig } from "./index";

// Moved from lib/domain/runtimes.test.ts ("registryPrefix") when the prefix rule moved here.
describe("registryConfig().imagePrefix (MOLECULE_IMAGE_REGISTRY)", () => {
  it("defaults to ghcr.io/molecule-ai", () => {
    expect(DEFAULT_REGISTRY_PREFIX).toBe("ghcr.io/molecule-ai");
    expect(registryConfig({}).imagePrefix).toBe("ghcr.io/molecule-ai");
  });

  it("respects MOLECULE_IMAGE_REGISTRY", () => {
    const ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/molecule-ai";
    expect(registryConfig({ MOLECULE_IMAGE_REGISTRY: ecr }).imagePrefix).toBe(ecr);
  });

  it.each([
    ["empty counts as unset", "", DEFAULT_REGISTRY_PREFIX],
    ["whitespace counts as unset", "  \t\n", DEFAULT_REGISTRY_PREFIX],
    ["a lone slash counts as unset", "/", DEFAULT_REGISTRY_PREFIX],
    // Deliberate fix: the seed used the value verbatim, giving `x//workspace-template-…`.
    ["trailing slash trimmed", "registry.example.com/molecule-ai/", "registry.example.com/molecule-ai"],
    ["trailing slashes trimmed", "registry.example.com/molecule-ai///", "registry.example.com/molecule-ai"],
    ["surrounding whitespace trimmed", "  registry.example.com/molecule-ai \n", "registry.example.com/molecule-ai"],
    ["slash then whitespace trimmed", "registry.example.com/molecule-ai/ ", "registry.example.com/molecule-ai"],
    ["registry port kept", "localhost:5000/molecule-ai", "localhost:5000/molecule-ai"],
  ])("%s", (_name, value, expected) => {
    expect(normalizeRegistryPrefix(value)).toBe(expected);
    expect(registryConfig({ MOLECULE_IMAGE_REGISTRY: value }).imagePrefix).toBe(expected);
  });
});

describe("registryConfig credentials", () => {
  it.each([
    [{ FLEETPIN_REGISTRY_USERNAME: "ops" }, "FLEETPIN_REGISTRY_PASSWORD is empty"],
    [{ FLEETPIN_REGISTRY_PASSWORD: "pw" }, "FLEETPIN_REGISTRY_USERNAME is empty"],
    [{ FLEETPIN_REGISTRY_USERNAME: "ops", FLEETPIN_REGISTRY_PASSWORD: "  " }, "FLEETPIN_REGISTRY_PASSWORD is empty"],
  ])("refuses half a pair %j", (env, message) => {
    expect(() => registryConfig(env)).toThrow(message);
  });

  it("ignores half of GHCR's pair, as before", () => {
    expect(registryConfig({ GHCR_USER: "seed", GHCR_TOKEN: "  " }).ghcrCredentials).toBeUndefined();
  });
});
