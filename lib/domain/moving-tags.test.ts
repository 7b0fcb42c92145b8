import { describe, expect, it } from "vitest";

import { imageTagIsMoving, MOVING_TAGS } from "./moving-tags";

describe("imageTagIsMoving", () => {
  // Seed TestImageTagIsMoving, all 21 rows in order (the 552602e4 commit message says 22; the table has 21).
  it.each([
    ["bare repo no tag", "ghcr.io/molecule-ai/workspace-template-hermes", true],
    ["bare local image no tag", "workspace-template", true],
    ["explicit latest", "ghcr.io/molecule-ai/workspace-template-hermes:latest", true],
    ["explicit staging", "ghcr.io/molecule-ai/workspace-template-hermes:staging", true],
    ["explicit main", "ghcr.io/molecule-ai/workspace-template-hermes:main", true],
    ["explicit dev", "ghcr.io/molecule-ai/workspace-template-hermes:dev", true],
    ["explicit edge", "ghcr.io/molecule-ai/workspace-template-hermes:edge", true],
    ["explicit nightly", "ghcr.io/molecule-ai/workspace-template-hermes:nightly", true],
    ["explicit rolling", "ghcr.io/molecule-ai/workspace-template-hermes:rolling", true],
    ["semver tag", "ghcr.io/molecule-ai/workspace-template-hermes:0.8.2", false],
    ["semver with v prefix", "ghcr.io/molecule-ai/workspace-template-hermes:v1.2.3", false],
    ["sha-prefixed commit tag", "ghcr.io/molecule-ai/workspace-template-langgraph:sha-abc1234", false],
    ["date-stamped tag", "ghcr.io/molecule-ai/workspace-template-hermes:2026-04-30", false],
    ["build-id tag", "ghcr.io/molecule-ai/workspace-template-hermes:build-12345", false],
    ["digest only", "ghcr.io/molecule-ai/workspace-template-hermes@sha256:abc123def456", false],
    ["tag plus digest", "ghcr.io/molecule-ai/workspace-template-hermes:latest@sha256:abc123def456", false],
    ["registry with port no tag", "localhost:5000/workspace-template-hermes", true],
    ["registry with port pinned tag", "localhost:5000/workspace-template-hermes:0.8.2", false],
    ["registry with port latest tag", "localhost:5000/workspace-template-hermes:latest", true],
    ["legacy local hermes tag", "workspace-template:hermes", false],
    ["legacy local claude-code tag", "workspace-template:claude-code", false],
  ])("seed: %s (%s) → %s", (_name, ref, expected) => {
    expect(imageTagIsMoving(ref)).toBe(expected);
  });

  // Spec §2.5 "follows from the code but not tested" in the seed.
  it.each([
    ["empty string", "", true],
    ["uppercase LATEST is a different tag", "ghcr.io/x:LATEST", false],
    ["trailing colon = empty tag", "foo:", true],
    ["port and trailing colon", "localhost:5000/foo:", true],
    ["other digest algorithm is read as a tag", "foo@sha512:abc", false],
    ["empty sha256 digest", "foo@sha256:", false],
  ])("follows from the code: %s (%j) → %s", (_name, ref, expected) => {
    expect(imageTagIsMoving(ref)).toBe(expected);
  });

  it.each([
    ["real 64-hex digest", "ghcr.io/x@sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3", false],
    ["moving tag after port on a nested path", "registry.example.com:443/a/b/c:nightly", true],
    ["pinned tag after port on a nested path", "registry.example.com:443/a/b/c:2026.05", false],
    ["IPv6 registry no tag", "[::1]:5000/x", true],
    ["IPv6 registry pinned tag", "[::1]:5000/x:1.0", false],
    ["port with no path is Docker's repo:tag", "localhost:5000", false],
    ["mixed-case Latest", "foo:Latest", false],
    ["tag with surrounding space is not trimmed", "foo: latest", false],
    ["each moving tag on a bare name", "foo:rolling", true],
    ["a tag merely containing latest", "foo:latest-1", false],
    ["digest marker anywhere wins", "foo:latest@sha256:zz", false],
    ["uppercase SHA256 marker is not a digest", "foo@SHA256:abc", false],
    ["colon only", ":", true],
  ])("edge: %s (%j) → %s", (_name, ref, expected) => {
    expect(imageTagIsMoving(ref)).toBe(expected);
  });

  it("lists exactly the seed's seven moving tags", () => {
    expect(MOVING_TAGS).toEqual(["latest", "staging", "main", "dev", "edge", "nightly", "rolling"]);
    for (const tag of MOVING_TAGS) expect(imageTagIsMoving(`ghcr.io/x:${tag}`)).toBe(true);
  });
});
