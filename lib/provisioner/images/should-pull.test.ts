import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { imageRefNoise } from "@/test/image-ref-arbitraries";

import { shouldPull } from "./should-pull";

const DIGEST = "sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3";

describe("shouldPull", () => {
  // Spec §2.6: pull iff missing locally or the tag is moving.
  it.each([
    ["missing :latest", "ghcr.io/molecule-ai/workspace-template-hermes:latest", false, true],
    ["present :latest (re-pull to refresh)", "ghcr.io/molecule-ai/workspace-template-hermes:latest", true, true],
    ["present, no tag", "ghcr.io/molecule-ai/workspace-template-hermes", true, true],
    ["present :nightly", "ghcr.io/x:nightly", true, true],
    ["missing digest pin", `ghcr.io/molecule-ai/workspace-template-hermes@${DIGEST}`, false, true],
    ["present digest pin", `ghcr.io/molecule-ai/workspace-template-hermes@${DIGEST}`, true, false],
    ["present tag plus digest", `ghcr.io/x:latest@${DIGEST}`, true, false],
    ["present semver", "ghcr.io/molecule-ai/workspace-template-hermes:0.8.2", true, false],
    ["missing semver", "ghcr.io/molecule-ai/workspace-template-hermes:0.8.2", false, true],
    ["present legacy local tag", "workspace-template:hermes", true, false],
    ["present port registry, no tag", "localhost:5000/x", true, true],
    ["present port registry, pinned tag", "localhost:5000/x:1.2", true, false],
    ["present uppercase LATEST (a pinned tag)", "ghcr.io/x:LATEST", true, false],
    ["missing empty ref", "", false, true],
  ])("%s", (_name, ref, present, expected) => {
    expect(shouldPull(ref, present)).toBe(expected);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(imageRefNoise, fc.boolean(), (text, present) => {
        expect(typeof shouldPull(text, present)).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });
});
