import { afterEach, describe, expect, it, vi } from "vitest";

import { captureLogs } from "@/lib/log/capture";

import { type ResolveWarning, resolveRuntimeImage } from "./resolve-pin";

const DIGEST = "sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3";
const unset = {};

function spyLookup(result: string | null | Error) {
  return vi.fn(async (_template: string): Promise<string | null> => {
    if (result instanceof Error) throw result;
    return result;
  });
}

describe("resolveRuntimeImage", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  // Seed runtime_image_pin_test.go (spec §2.4), with a spy standing in for sqlmock.
  describe("seed rows", () => {
    it('NoPin: looks the template up and returns "" silently', async () => {
      const lookupPin = spyLookup(null);
      const warn = vi.fn();
      await expect(resolveRuntimeImage("claude-code", { lookupPin, env: unset, warn })).resolves.toBe("");
      expect(lookupPin).toHaveBeenCalledExactlyOnceWith("claude-code");
      expect(warn).not.toHaveBeenCalled();
    });

    it('DBError: returns "" and reports pin_lookup_failed', async () => {
      const lookupPin = spyLookup(new Error("canceling query due to user request"));
      const warn = vi.fn();
      await expect(resolveRuntimeImage("claude-code", { lookupPin, env: unset, warn })).resolves.toBe("");
      expect(warn).toHaveBeenCalledExactlyOnceWith({
        event: "pin_lookup_failed",
        template: "claude-code",
        error: "canceling query due to user request",
      } satisfies ResolveWarning);
    });

    it("WithPin: strips :latest and appends the digest under the default prefix", async () => {
      const lookupPin = spyLookup(DIGEST);
      const image = await resolveRuntimeImage("claude-code", { lookupPin, env: unset });
      expect(image).toBe(`ghcr.io/molecule-ai/workspace-template-claude-code@${DIGEST}`);
      expect(image.endsWith(`@${DIGEST}`)).toBe(true);
      expect(image.startsWith("ghcr.io/molecule-ai/workspace-template-claude-code")).toBe(true);
      expect(image).not.toContain(":latest");
    });

    it.each([
      ["EmptyRuntime", ""],
      ["UnknownRuntime", "no-such-runtime"],
    ])('%s: returns "" without a lookup', async (_name, template) => {
      const lookupPin = spyLookup(DIGEST);
      await expect(resolveRuntimeImage(template, { lookupPin, env: unset })).resolves.toBe("");
      expect(lookupPin).not.toHaveBeenCalled();
    });

    it("LocalOverride: WORKSPACE_IMAGE_LOCAL_OVERRIDE=1 skips the lookup even when a pin exists", async () => {
      const lookupPin = spyLookup(DIGEST);
      await expect(
        resolveRuntimeImage("claude-code", { lookupPin, env: { WORKSPACE_IMAGE_LOCAL_OVERRIDE: "1" } }),
      ).resolves.toBe("");
      expect(lookupPin).not.toHaveBeenCalled();
    });
  });

  it.each(["0", "false", " ", "no"])("any non-empty override (%j) skips the lookup", async (value) => {
    const lookupPin = spyLookup(DIGEST);
    await expect(
      resolveRuntimeImage("hermes", { lookupPin, env: { WORKSPACE_IMAGE_LOCAL_OVERRIDE: value } }),
    ).resolves.toBe("");
    expect(lookupPin).not.toHaveBeenCalled();
  });

  it("an empty override counts as unset", async () => {
    const lookupPin = spyLookup(DIGEST);
    await expect(
      resolveRuntimeImage("hermes", { lookupPin, env: { WORKSPACE_IMAGE_LOCAL_OVERRIDE: "" } }),
    ).resolves.toBe(`ghcr.io/molecule-ai/workspace-template-hermes@${DIGEST}`);
  });

  it.each(["Claude-Code", "HERMES", "../../etc/passwd", "external", "constructor"])(
    "unknown template %j never reaches the lookup",
    async (template) => {
      const lookupPin = spyLookup(DIGEST);
      await expect(resolveRuntimeImage(template, { lookupPin, env: unset })).resolves.toBe("");
      expect(lookupPin).not.toHaveBeenCalled();
    },
  );

  // Deliberate fix: the seed joined whatever the row held.
  it.each([
    "sha256:abc123def456",
    `sha256:${DIGEST.slice(7).toUpperCase()}`,
    `sha512:${"a".repeat(128)}`,
    `${DIGEST} `,
    "",
    "latest",
  ])('invalid stored digest %j → "" plus pin_digest_invalid', async (digest) => {
    const warn = vi.fn();
    await expect(resolveRuntimeImage("hermes", { lookupPin: spyLookup(digest), env: unset, warn })).resolves.toBe("");
    expect(warn).toHaveBeenCalledExactlyOnceWith({ event: "pin_digest_invalid", template: "hermes", digest });
  });

  it("keeps a registry port from the prefix", async () => {
    const image = await resolveRuntimeImage("hermes", {
      lookupPin: spyLookup(DIGEST),
      env: { MOLECULE_IMAGE_REGISTRY: "localhost:5000/molecule-ai" },
    });
    expect(image).toBe(`localhost:5000/molecule-ai/workspace-template-hermes@${DIGEST}`);
  });

  it("uses the prefix override", async () => {
    const image = await resolveRuntimeImage("codex", {
      lookupPin: spyLookup(DIGEST),
      env: { MOLECULE_IMAGE_REGISTRY: "registry.example.com/molecule-ai/" },
    });
    expect(image).toBe(`registry.example.com/molecule-ai/workspace-template-codex@${DIGEST}`);
  });

  it("reports a prefix that does not form a valid reference instead of throwing", async () => {
    const warn = vi.fn();
    const image = await resolveRuntimeImage("hermes", {
      lookupPin: spyLookup(DIGEST),
      env: { MOLECULE_IMAGE_REGISTRY: "Registry.example.com/Molecule-AI" },
      warn,
    });
    expect(image).toBe("");
    expect(warn).toHaveBeenCalledExactlyOnceWith({
      event: "pin_image_invalid",
      template: "hermes",
      image: "Registry.example.com/Molecule-AI/workspace-template-hermes:latest",
      error: expect.stringContaining("repository must be lowercase"),
    });
  });

  it("treats undefined from the lookup like no pin", async () => {
    const warn = vi.fn();
    const lookupPin = vi.fn(async () => undefined as unknown as string | null);
    await expect(resolveRuntimeImage("hermes", { lookupPin, env: unset, warn })).resolves.toBe("");
    expect(warn).not.toHaveBeenCalled();
  });

  it("catches a lookup that throws synchronously and non-Error rejections", async () => {
    const warn = vi.fn();
    const sync = vi.fn((): Promise<string | null> => {
      throw new TypeError("db is not connected");
    });
    await expect(resolveRuntimeImage("hermes", { lookupPin: sync, env: unset, warn })).resolves.toBe("");
    const rejectString = vi.fn(() => Promise.reject("timeout"));
    await expect(resolveRuntimeImage("hermes", { lookupPin: rejectString, env: unset, warn })).resolves.toBe("");
    expect(warn.mock.calls.map(([event]) => event)).toEqual([
      { event: "pin_lookup_failed", template: "hermes", error: "db is not connected" },
      { event: "pin_lookup_failed", template: "hermes", error: "timeout" },
    ]);
  });

  it("by default logs one warning line through the logger", async () => {
    const logs = captureLogs();
    try {
      await resolveRuntimeImage("hermes", { lookupPin: spyLookup(new Error("boom")), env: unset });
    } finally {
      logs.restore();
    }
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: "warn",
        source: "resolveRuntimeImage",
        event: "pin_lookup_failed",
        template: "hermes",
        error: "boom",
      }),
    ]);
  });

  it("reads process.env when no env is given", async () => {
    vi.stubEnv("WORKSPACE_IMAGE_LOCAL_OVERRIDE", "");
    vi.stubEnv("MOLECULE_IMAGE_REGISTRY", "registry.example.com/molecule-ai");
    await expect(resolveRuntimeImage("hermes", { lookupPin: spyLookup(DIGEST) })).resolves.toBe(
      `registry.example.com/molecule-ai/workspace-template-hermes@${DIGEST}`,
    );
    vi.stubEnv("WORKSPACE_IMAGE_LOCAL_OVERRIDE", "1");
    const lookupPin = spyLookup(DIGEST);
    await expect(resolveRuntimeImage("hermes", { lookupPin })).resolves.toBe("");
    expect(lookupPin).not.toHaveBeenCalled();
  });
});
