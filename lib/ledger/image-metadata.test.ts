import { describe, expect, it } from "vitest";

import { indexPlatforms, parseConfig, parseManifest, pickIndexChild } from "./image-metadata";

const D = (c: string) => `sha256:${c.repeat(64)}`;

describe("parseManifest", () => {
  it.each([
    {
      name: "docker v2 image: size is config + layers",
      json: {
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: { digest: D("a"), size: 100 },
        layers: [
          { digest: D("b"), size: 1000 },
          { digest: D("c"), size: 24 },
        ],
      },
      contentType: null,
      want: {
        kind: "image",
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        configDigest: D("a"),
        compressedSize: 1124,
      },
    },
    {
      name: "OCI image without mediaType field takes the header's",
      json: { schemaVersion: 2, config: { digest: D("a"), size: 7 }, layers: [] },
      contentType: "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
      want: {
        kind: "image",
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        configDigest: D("a"),
        compressedSize: 7,
      },
    },
  ])("$name", ({ json, contentType, want }) => {
    expect(parseManifest(json, contentType)).toEqual(want);
  });

  it("reads an index's children and marks attestations", () => {
    const parsed = parseManifest(
      {
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          { digest: D("1"), size: 500, platform: { os: "linux", architecture: "amd64" } },
          { digest: D("2"), size: 501, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          {
            digest: D("3"),
            size: 50,
            platform: { os: "unknown", architecture: "unknown" },
            annotations: { "vnd.docker.reference.type": "attestation-manifest" },
          },
        ],
      },
      null,
    );
    expect(parsed.kind).toBe("index");
    if (parsed.kind !== "index") return;
    expect(indexPlatforms(parsed.children)).toEqual(["linux/amd64", "linux/arm64/v8"]);
    expect(pickIndexChild(parsed.children, "linux/arm64/v8")?.digest).toBe(D("2"));
    expect(pickIndexChild(parsed.children, "windows/amd64")?.digest).toBe(D("1"));
    expect(pickIndexChild(parsed.children.slice(2), "linux/amd64")).toBeNull();
  });

  it.each([null, [], "x", { mediaType: "application/vnd.oci.image.manifest.v1+json" }, { config: {} }])(
    "refuses %j",
    (json) => {
      expect(() => parseManifest(json, null)).toThrow();
    },
  );
});

describe("parseConfig", () => {
  it.each([
    {
      name: "labels, created and platform",
      json: {
        created: "2026-11-30T10:00:00Z",
        os: "linux",
        architecture: "amd64",
        config: {
          Labels: {
            "org.opencontainers.image.revision": "abc123",
            "org.opencontainers.image.source": "https://github.com/molecule-ai/templates",
            "org.opencontainers.image.version": "1.4.2",
            "org.opencontainers.image.created": "2026-11-30T09:59:00Z",
          },
        },
      },
      want: {
        created: new Date("2026-11-30T10:00:00Z"),
        platform: "linux/amd64",
        labels: {
          revision: "abc123",
          source: "https://github.com/molecule-ai/templates",
          version: "1.4.2",
          created: "2026-11-30T09:59:00Z",
        },
      },
    },
    {
      name: "nothing known",
      json: { created: "not a date", config: { Labels: null } },
      want: { created: null, platform: null, labels: { revision: null, source: null, version: null, created: null } },
    },
    {
      name: "control characters in a label become spaces",
      json: { config: { Labels: { "org.opencontainers.image.version": "1\n2" } } },
      want: { created: null, platform: null, labels: { revision: null, source: null, version: "1 2", created: null } },
    },
  ])("$name", ({ json, want }) => {
    expect(parseConfig(json)).toEqual(want);
  });
});
