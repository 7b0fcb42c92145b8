import { describe, expect, it } from "vitest";

import {
  DEFAULT_RUNTIME,
  defaultImage,
  isKnownRuntime,
  KNOWN_RUNTIMES,
  runtimeImage,
  runtimeImageRepository,
  runtimeImages,
} from "./runtimes";

// The prefix as lib/config reads it (normalizeRegistryPrefix is tested in lib/config/registry.test.ts).
const unset = "ghcr.io/molecule-ai";
const example = "registry.example.com/molecule-ai";

describe("runtimeImage", () => {
  it.each(KNOWN_RUNTIMES.map((runtime) => [runtime]))("%s → default-prefixed :latest image", (runtime) => {
    expect(runtimeImage(runtime, unset)).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}:latest`);
    expect(runtimeImageRepository(runtime, unset)).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}`);
  });

  it("builds the documented claude-code image", () => {
    expect(runtimeImage("claude-code", unset)).toBe("ghcr.io/molecule-ai/workspace-template-claude-code:latest");
  });

  it.each([
    "",
    "nonexistent",
    "WORKSPACE-TEMPLATE-FAKE",
    "../../../etc/passwd",
    "../../etc/passwd",
    "Claude-Code",
    "HERMES",
    " hermes",
    "hermes ",
    "hermes:latest",
    "external",
    "constructor",
    "__proto__",
    "toString",
  ])('unknown runtime %j → ""', (runtime) => {
    expect(runtimeImage(runtime, unset)).toBe("");
    expect(runtimeImageRepository(runtime, unset)).toBe("");
    expect(isKnownRuntime(runtime)).toBe(false);
  });

  it("applies the override to all nine runtimes and keeps :latest", () => {
    for (const runtime of KNOWN_RUNTIMES) {
      expect(runtimeImage(runtime, example)).toBe(
        `registry.example.com/molecule-ai/workspace-template-${runtime}:latest`,
      );
    }
  });

  it("keeps a registry port in the prefix", () => {
    expect(runtimeImage("hermes", "localhost:5000/molecule-ai")).toBe(
      "localhost:5000/molecule-ai/workspace-template-hermes:latest",
    );
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
  it("is the langgraph image", () => {
    expect(DEFAULT_RUNTIME).toBe("langgraph");
    expect(defaultImage(unset)).toBe("ghcr.io/molecule-ai/workspace-template-langgraph:latest");
  });

  it("follows the prefix it is given (computed per call, not at import)", () => {
    expect(defaultImage(example)).toBe("registry.example.com/molecule-ai/workspace-template-langgraph:latest");
    expect(defaultImage("registry.example.com/other")).toBe(
      "registry.example.com/other/workspace-template-langgraph:latest",
    );
  });
});

describe("runtimeImages", () => {
  it("maps all nine runtimes to non-empty images", () => {
    const images = runtimeImages(unset);
    expect(Object.keys(images)).toEqual([...KNOWN_RUNTIMES]);
    for (const runtime of KNOWN_RUNTIMES) {
      expect(images[runtime]).toBe(`ghcr.io/molecule-ai/workspace-template-${runtime}:latest`);
    }
  });

  it("follows the prefix when called again", () => {
    expect(runtimeImages(unset).hermes).toBe("ghcr.io/molecule-ai/workspace-template-hermes:latest");
    const images = runtimeImages(example);
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
