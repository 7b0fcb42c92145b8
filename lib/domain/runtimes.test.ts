import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_REGISTRY_PREFIX,
  DEFAULT_RUNTIME,
  defaultImage,
  isKnownRuntime,
  KNOWN_RUNTIMES,
  registryPrefix,
  runtimeImage,
  runtimeImageRepository,
  runtimeImages,
} from "./runtimes";

const unset = {};

describe("registryPrefix", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("defaults to ghcr.io/molecule-ai", () => {
    expect(DEFAULT_REGISTRY_PREFIX).toBe("ghcr.io/molecule-ai");
    expect(registryPrefix(unset)).toBe("ghcr.io/molecule-ai");
  });

  it("respects MOLECULE_IMAGE_REGISTRY", () => {
    const ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/molecule-ai";
    expect(registryPrefix({ MOLECULE_IMAGE_REGISTRY: ecr })).toBe(ecr);
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
    expect(registryPrefix({ MOLECULE_IMAGE_REGISTRY: value })).toBe(expected);
  });

  it("reads process.env by default, on every call", () => {
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/molecule-ai");
    expect(registryPrefix()).toBe("registry.example.com/molecule-ai");
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "");
    expect(registryPrefix()).toBe(DEFAULT_REGISTRY_PREFIX);
  });
});

describe("runtimeImage", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(KNOWN_RUNTIMES.map((runtime) => [runtime]))("%s → default-prefixed :latest image", (runtime) => {
    expect(runtimeImage(runtime, unset)).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}:latest`);
    expect(runtimeImageRepository(runtime, unset)).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}`);
  });

  it("builds the documented claude-code image", () => {
    expect(runtimeImage("claude-code", unset)).toBe("ghcr.io/molecule-ai/workspace-template-claude-code:latest");
  });

  it.each(["", "nonexistent", "WORKSPACE-TEMPLATE-FAKE", "../../../etc/passwd", "../../etc/passwd", "Claude-Code", "HERMES", " hermes", "hermes ", "hermes:latest", "external", "constructor", "__proto__", "toString"])(
    "unknown runtime %j → \"\"",
    (runtime) => {
      expect(runtimeImage(runtime, unset)).toBe("");
      expect(runtimeImageRepository(runtime, unset)).toBe("");
      expect(isKnownRuntime(runtime)).toBe(false);
    },
  );

  it("applies the override to all nine runtimes and keeps :latest", () => {
    const env = { MOLECULE_IMAGE_REGISTRY: "registry.example.com/molecule-ai" };
    for (const runtime of KNOWN_RUNTIMES) {
      expect(runtimeImage(runtime, env)).toBe(`registry.example.com/molecule-ai/workspace-template-${runtime}:latest`);
    }
  });

  it("keeps a registry port in the prefix", () => {
    expect(runtimeImage("hermes", { MOLECULE_IMAGE_REGISTRY: "localhost:5000/molecule-ai/" })).toBe(
      "localhost:5000/molecule-ai/workspace-template-hermes:latest",
    );
  });

  it("reads process.env by default", () => {
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/molecule-ai");
    expect(runtimeImage("hermes")).toBe("registry.example.com/molecule-ai/workspace-template-hermes:latest");
  });
});

describe("KNOWN_RUNTIMES", () => {
  it("is the nine runtimes, strictly alphabetical", () => {
    expect(KNOWN_RUNTIMES).toHaveLength(9);
    for (let i = 1; i < KNOWN_RUNTIMES.length; i++) {
      expect((KNOWN_RUNTIMES[i - 1] ?? "") < (KNOWN_RUNTIMES[i] ?? "")).toBe(true);
    }
    expect(KNOWN_RUNTIMES).toEqual([
      "autogen",
      "claude-code",
      "codex",
      "crewai",
      "deepagents",
      "gemini-cli",
      "hermes",
      "langgraph",
      "openclaw",
    ]);
  });

  it("isKnownRuntime accepts each of them and rejects non-strings", () => {
    for (const runtime of KNOWN_RUNTIMES) expect(isKnownRuntime(runtime)).toBe(true);
    expect(isKnownRuntime(undefined)).toBe(false);
    expect(isKnownRuntime(null)).toBe(false);
    expect(isKnownRuntime(["hermes"])).toBe(false);
  });
});

describe("defaultImage", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is the langgraph image", () => {
    expect(DEFAULT_RUNTIME).toBe("langgraph");
    expect(defaultImage(unset)).toBe("ghcr.io/molecule-ai/workspace-template-langgraph:latest");
  });

  it("follows the prefix override (computed per call, not at import)", () => {
    expect(defaultImage({ MOLECULE_IMAGE_REGISTRY: "registry.example.com/molecule-ai" })).toBe(
      "registry.example.com/molecule-ai/workspace-template-langgraph:latest",
    );
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/other");
    expect(defaultImage()).toBe("registry.example.com/other/workspace-template-langgraph:latest");
  });
});

describe("runtimeImages", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("maps all nine runtimes to non-empty images", () => {
    const images = runtimeImages(unset);
    expect(Object.keys(images)).toEqual([...KNOWN_RUNTIMES]);
    for (const runtime of KNOWN_RUNTIMES) {
      expect(images[runtime]).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}:latest`);
    }
  });

  it("follows the env when called again", () => {
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "");
    expect(runtimeImages().hermes).toBe("ghcr.io/molecule-ai/workspace-template-hermes:latest");
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/molecule-ai");
    const images = runtimeImages();
    for (const runtime of KNOWN_RUNTIMES) {
      expect(images[runtime]).toBe(`registry.example.com/molecule-ai/workspace-template-${runtime}:latest`);
    }
  });

  it("returns a fresh object each call", () => {
    const first = runtimeImages(unset);
    first.hermes = "tampered";
    expect(runtimeImages(unset).hermes).toBe("ghcr.io/molecule-ai/workspace-template-hermes:latest");
  });
});
