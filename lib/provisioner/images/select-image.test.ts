import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";

import { imageRefNoise } from "@/test/image-ref-arbitraries";

import { selectImage } from "./select-image";

const unset = {};
const PINNED =
  "ghcr.io/molecule-ai/workspace-template-claude-code@sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3";
const DEFAULT = "ghcr.io/molecule-ai/workspace-template-langgraph:latest";

describe("selectImage", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // Seed TestSelectImage_* (spec §2.3).
  it.each([
    ["PrefersExplicitImage", { runtime: "claude-code", image: PINNED }, PINNED],
    [
      "FallsBackToRuntimeMap",
      { runtime: "claude-code", image: "" },
      "ghcr.io/molecule-ai/workspace-template-claude-code:latest",
    ],
    ["UnknownRuntimeFallsBackToDefault", { runtime: "no-such-runtime" }, DEFAULT],
    ["EmptyRuntimeFallsBackToDefault", {}, DEFAULT],
    ["ImageFieldPresent", { image: "ghcr.io/example@sha256:abc" }, "ghcr.io/example@sha256:abc"],
  ])("seed: %s", (_name, config, expected) => {
    expect(selectImage(config, unset)).toBe(expected);
  });

  // Spec §2.3 "follows from the code but not tested".
  it.each([
    ["image without runtime", { runtime: "", image: "x" }, "x"],
    ["runtime is case-sensitive", { runtime: "Claude-Code" }, DEFAULT],
    ["codex has its own image", { runtime: "codex" }, "ghcr.io/molecule-ai/workspace-template-codex:latest"],
    ["external runtime gets the default", { runtime: "external" }, DEFAULT],
  ])("follows from the code: %s", (_name, config, expected) => {
    expect(selectImage(config, unset)).toBe(expected);
  });

  it.each([
    ["explicit image wins even with an unknown runtime", { runtime: "nope", image: "my/image:1" }, "my/image:1"],
    ["image is used verbatim, not validated", { image: "Not A Valid Ref" }, "Not A Valid Ref"],
    ["path-like runtime gets the default", { runtime: "../../etc/passwd" }, DEFAULT],
    ["runtime langgraph equals the default", { runtime: "langgraph" }, DEFAULT],
  ])("edge: %s", (_name, config, expected) => {
    expect(selectImage(config, unset)).toBe(expected);
  });

  it("never returns an empty string", () => {
    for (const config of [{}, { runtime: "" }, { image: "" }, { runtime: "", image: "" }, { runtime: "x" }]) {
      expect(selectImage(config, unset)).not.toBe("");
    }
  });

  it("applies the registry override to runtime and default images", () => {
    const env = { MOLECULE_IMAGE_REGISTRY: "registry.example.com/molecule-ai" };
    expect(selectImage({ runtime: "hermes" }, env)).toBe(
      "registry.example.com/molecule-ai/workspace-template-hermes:latest",
    );
    expect(selectImage({}, env)).toBe("registry.example.com/molecule-ai/workspace-template-langgraph:latest");
    expect(selectImage({ image: PINNED }, env)).toBe(PINNED);
  });

  it("reads process.env by default, on every call", () => {
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/a");
    expect(selectImage({})).toBe("registry.example.com/a/workspace-template-langgraph:latest");
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/b");
    expect(selectImage({})).toBe("registry.example.com/b/workspace-template-langgraph:latest");
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(imageRefNoise, (text) => {
        expect(typeof selectImage({ image: text }, {})).toBe("string");
        expect(typeof selectImage({ runtime: text }, {})).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });
});
