import { describe, expect, it } from "vitest";

import {
  isAlreadyStopped,
  isContainerNotFound,
  isImageNotFoundErr,
  isRemovalInProgress,
  runtimeTagFromImage,
} from "./errors";

/** The shape dockerode rejects with: an Error carrying the HTTP status and the daemon's JSON. */
function dockerodeError(statusCode: number, reason: string, message: string) {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `), {
    statusCode,
    reason,
    json: { message },
  });
}

describe("isContainerNotFound", () => {
  // Seed isrunning_test.go table (spec §3); nil ↔ null/undefined.
  it.each<[unknown, boolean]>([
    [null, false],
    [undefined, false],
    [new Error("Error response from daemon: No such container: ws-abc123"), true],
    [new Error("container not found"), true],
    [new Error("context deadline exceeded"), false],
    [new Error("EOF"), false],
    [new Error("connection refused"), false],
    [new Error("i/o timeout"), false],
    [new Error(""), false],
  ])("seed: %s → %s", (err, expected) => {
    expect(isContainerNotFound(err)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ["dockerode 404", dockerodeError(404, "no such container", "No such container: ws-abc"), true],
    ["plain string", "Error response from daemon: No such container: x", true],
    ["object with message", { message: "container not found" }, true],
    ["match is case-sensitive (seed)", new Error("NO SUCH CONTAINER"), false],
    ["Not Found capitalised is not matched (seed)", new Error("Not Found"), false],
    [
      "a wrapped cause counts, like Go's %w",
      new Error("inspect ws-abc failed", { cause: new Error("No such container: ws-abc") }),
      true,
    ],
    ["number", 404, false],
    ["object without message", { statusCode: 404 }, false],
  ])("%s", (_name, err, expected) => {
    expect(isContainerNotFound(err)).toBe(expected);
  });
});

describe("isRemovalInProgress", () => {
  it.each<[unknown, boolean]>([
    [null, false],
    [new Error("Error response from daemon: removal of container ws-eeb99b5d-607 is already in progress"), true],
    [new Error("removal of container abc123 is already in progress"), true],
    [new Error("image pull is already in progress"), false],
    [new Error("Error response from daemon: No such container: ws-abc"), false],
    [new Error("context deadline exceeded"), false],
    [new Error(""), false],
  ])("seed: %s → %s", (err, expected) => {
    expect(isRemovalInProgress(err)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['"already in progress" alone is not enough', new Error("already in progress"), false],
    ['"removal of container" alone is not enough', new Error("removal of container x failed"), false],
    ["dockerode 409", dockerodeError(409, "conflict", "removal of container ws-1 is already in progress"), true],
    ["string", "removal of container x is already in progress", true],
  ])("%s", (_name, err, expected) => {
    expect(isRemovalInProgress(err)).toBe(expected);
  });
});

describe("isImageNotFoundErr", () => {
  // Seed table (spec §2.8).
  it.each<[unknown, boolean]>([
    [null, false],
    [new Error("Error response from daemon: No such image: workspace-template:openclaw"), true],
    [new Error("error: no such image: foo:bar"), true],
    [new Error('Error: image "workspace-template:crewai" not found'), true],
    [new Error("container not found"), false],
    [new Error("connection refused"), false],
    [new Error("permission denied"), false],
  ])("seed: %s → %s", (err, expected) => {
    expect(isImageNotFoundErr(err)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ["case-insensitive", new Error("NO SUCH IMAGE: x"), true],
    ["dockerode 404 on create", dockerodeError(404, "no such container", "No such image: ghcr.io/x:latest"), true],
    ["manifest unknown wording", new Error("manifest for ghcr.io/x:1 not found: manifest unknown: image"), true],
    ["string", "no such image", true],
    ["undefined", undefined, false],
  ])("%s", (_name, err, expected) => {
    expect(isImageNotFoundErr(err)).toBe(expected);
  });
});

describe("isAlreadyStopped", () => {
  it.each<[string, unknown, boolean]>([
    ["dockerode 304", dockerodeError(304, "container already stopped", ""), true],
    ["status 304 without a message", { statusCode: 304 }, true],
    ["message only", new Error("container already stopped"), true],
    ["kill on a stopped container", new Error("Error response from daemon: Container abc is not running"), true],
    ["string", "container ws-abc is not running", true],
    ["wrapped", new Error("stop failed", { cause: { statusCode: 304 } }), true],
    ["404 is not 'stopped'", dockerodeError(404, "no such container", "No such container: x"), false],
    ["500", dockerodeError(500, "server error", "oops"), false],
    ["null", null, false],
    ["running", new Error("container is running"), false],
  ])("%s → %s", (_name, err, expected) => {
    expect(isAlreadyStopped(err)).toBe(expected);
  });
});

describe("classifiers on odd input", () => {
  it("survive cyclic causes and non-string messages", () => {
    const a: { message: unknown; cause?: unknown } = { message: 42 };
    const b = { message: "No such container: x", cause: a };
    a.cause = b;
    for (const classify of [isContainerNotFound, isRemovalInProgress, isImageNotFoundErr, isAlreadyStopped]) {
      expect(typeof classify(a)).toBe("boolean");
    }
    expect(isContainerNotFound(a)).toBe(true);
  });
});

describe("runtimeTagFromImage", () => {
  // Seed table (spec §2.8).
  it.each([
    ["workspace-template:openclaw", "openclaw"],
    ["workspace-template:claude-code", "claude-code"],
    ["workspace-template:base", "base"],
    ["ghcr.io/molecule-ai/workspace-template-hermes:latest", "hermes"],
    ["ghcr.io/molecule-ai/workspace-template-claude-code:latest", "claude-code"],
    ["ghcr.io/molecule-ai/workspace-template-langgraph:sha-abc1234", "langgraph"],
    ["myregistry.io/foo:v1.2", "v1.2"],
    ["no-colon-at-all", "no-colon-at-all"],
    ["foo:", "foo:"],
  ])("seed: %s → %s", (image, expected) => {
    expect(runtimeTagFromImage(image)).toBe(expected);
  });

  it.each([
    [
      "digest ref keeps the seed quirk",
      "ghcr.io/molecule-ai/workspace-template-claude-code@sha256:abc",
      "claude-code@sha256",
    ],
    ["no tag", "ghcr.io/molecule-ai/workspace-template-hermes", "hermes"],
    ["port registry", "localhost:5000/molecule-ai/workspace-template-codex:latest", "codex"],
    ["port registry without template infix", "localhost:5000/foo", "5000/foo"],
    ["empty", "", ""],
  ])("%s", (_name, image, expected) => {
    expect(runtimeTagFromImage(image)).toBe(expected);
  });
});
