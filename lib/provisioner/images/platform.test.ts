import { afterEach, describe, expect, it, vi } from "vitest";

import { DEFAULT_IMAGE_PLATFORM, imagePlatform, parseOCIPlatform } from "./platform";

describe("imagePlatform", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    ["unset → linux/amd64 (Fleetpin forces amd64 on every host)", {}, "linux/amd64"],
    ["explicitly undefined counts as unset", { MOLECULE_IMAGE_PLATFORM: undefined }, "linux/amd64"],
    ["explicit value wins", { MOLECULE_IMAGE_PLATFORM: "linux/arm64" }, "linux/arm64"],
    ["set but empty turns forcing off", { MOLECULE_IMAGE_PLATFORM: "" }, ""],
    ["value used as is (no trimming, like the seed)", { MOLECULE_IMAGE_PLATFORM: " linux/amd64" }, " linux/amd64"],
  ])("%s", (_name, env, expected) => {
    expect(imagePlatform(env)).toBe(expected);
  });

  it("reads process.env by default", () => {
    expect(DEFAULT_IMAGE_PLATFORM).toBe("linux/amd64");
    vi.stubEnv("MOLECULE_IMAGE_PLATFORM", "linux/arm64/v8");
    expect(imagePlatform()).toBe("linux/arm64/v8");
    vi.stubEnv("MOLECULE_IMAGE_PLATFORM", "");
    expect(imagePlatform()).toBe("");
  });
});

describe("parseOCIPlatform", () => {
  // Seed platform_test.go table (spec §2.7).
  it.each([
    ["", null],
    ["linux/amd64", { os: "linux", architecture: "amd64" }],
    ["linux/arm64", { os: "linux", architecture: "arm64" }],
    ["linux", null],
    ["linux/", null],
    ["/amd64", null],
    ["linux/amd64/v8", { os: "linux", architecture: "amd64/v8" }],
  ])("seed: %j → %j", (input, expected) => {
    expect(parseOCIPlatform(input)).toStrictEqual(expected);
  });

  it.each([
    ["/", null],
    ["//", null],
    ["linux//", { os: "linux", architecture: "/" }],
    ["windows/amd64", { os: "windows", architecture: "amd64" }],
  ])("edge: %j → %j", (input, expected) => {
    expect(parseOCIPlatform(input)).toStrictEqual(expected);
  });

  it("parses the default platform", () => {
    expect(parseOCIPlatform(imagePlatform({}))).toStrictEqual({ os: "linux", architecture: "amd64" });
    expect(parseOCIPlatform(imagePlatform({ MOLECULE_IMAGE_PLATFORM: "" }))).toBeNull();
  });
});
