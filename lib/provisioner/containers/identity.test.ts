import { describe, expect, it } from "vitest";

import { platformCreateRequest } from "@/test/platform-containers";

import { envValues, readContainerIdentity, runtimeFromImage, type IdentityInput } from "./identity";
import { LABEL_MANAGED, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "./naming";

const ID = "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f";
const OTHER = "9e8d7c6b-5a49-4382-8171-605f4e3d2c1b";
const NAME = "ws-3f2a9c1e-7b4";
const IMAGE = "ghcr.io/molecule-ai/workspace-template-claude-code:latest";
const DIGEST = "sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3";
const managed = { [LABEL_MANAGED]: "true" };

/** A container as the platform's Start() writes it (the fixture's pure request), with overrides. */
function platform(overrides: Partial<IdentityInput> = {}): IdentityInput {
  const { name, body } = platformCreateRequest({ workspaceId: ID, image: IMAGE, runtime: "claude-code", tier: 2 });
  return { name, image: body.Image, labels: body.Labels, env: body.Env, ...overrides };
}

describe("readContainerIdentity", () => {
  it.each<[string, Partial<IdentityInput>, { workspaceId: string; source: string; runtime: string | null }]>([
    ["a platform container (env, name, image tag)", {}, { workspaceId: ID, source: "env", runtime: "claude-code" }],
    [
      "an upper-case env ID",
      { env: [`WORKSPACE_ID=${ID.toUpperCase()}`] },
      { workspaceId: ID, source: "env", runtime: "claude-code" },
    ],
    [
      "a pinned image (digest only)",
      { image: `ghcr.io/molecule-ai/workspace-template-hermes@${DIGEST}` },
      { workspaceId: ID, source: "env", runtime: "hermes" },
    ],
    [
      "an image with tag and digest",
      { image: `registry:5000/ns/workspace-template-codex:v1@${DIGEST}` },
      { workspaceId: ID, source: "env", runtime: "codex" },
    ],
    [
      "the legacy image",
      { image: "workspace-template:langgraph" },
      { workspaceId: ID, source: "env", runtime: "langgraph" },
    ],
    [
      "a name in another form (not checked)",
      { name: "my-workspace" },
      { workspaceId: ID, source: "env", runtime: "claude-code" },
    ],
    [
      "a set-aside -prev- name of the same ID",
      { name: `${NAME}-prev-1700000000000` },
      { workspaceId: ID, source: "env", runtime: "claude-code" },
    ],
    [
      "the same value twice in env",
      { env: [`WORKSPACE_ID=${ID}`, `WORKSPACE_ID=${ID}`] },
      { workspaceId: ID, source: "env", runtime: "claude-code" },
    ],
    [
      "Fleetpin labels (no env)",
      { env: [], labels: { ...managed, [LABEL_WORKSPACE_ID]: ID, [LABEL_TEMPLATE]: "hermes" } },
      { workspaceId: ID, source: "label", runtime: "hermes" },
    ],
    [
      "Fleetpin labels agreeing with env",
      { labels: { ...managed, [LABEL_WORKSPACE_ID]: ID } },
      { workspaceId: ID, source: "label", runtime: "claude-code" },
    ],
    [
      "an image by ID (runtime unreadable, ID still found)",
      { image: DIGEST },
      { workspaceId: ID, source: "env", runtime: null },
    ],
    [
      "an unknown runtime in the image",
      { image: "ghcr.io/x/workspace-template-nope:1" },
      { workspaceId: ID, source: "env", runtime: null },
    ],
    [
      "a case-different runtime",
      { image: "ghcr.io/x/workspace-template-Claude-Code:1" },
      { workspaceId: ID, source: "env", runtime: null },
    ],
  ])("%s → found", (_, overrides, expected) => {
    expect(readContainerIdentity(platform(overrides))).toMatchObject({ kind: "found", ...expected });
  });

  it.each<[string, Partial<IdentityInput>, string]>([
    ["an env ID that is not a UUID", { env: ["WORKSPACE_ID=abc"] }, 'env WORKSPACE_ID="abc" is not a UUID'],
    ["an empty env ID", { env: ["WORKSPACE_ID="] }, 'env WORKSPACE_ID="" is not a UUID'],
    [
      "a label that is not a UUID",
      { labels: { ...managed, [LABEL_WORKSPACE_ID]: "nope" } },
      `label ${LABEL_WORKSPACE_ID}="nope" is not a UUID`,
    ],
    [
      "label and env disagree",
      { labels: { ...managed, [LABEL_WORKSPACE_ID]: OTHER } },
      `label ${LABEL_WORKSPACE_ID}="${OTHER}" and env WORKSPACE_ID="${ID}" disagree`,
    ],
    [
      "label set, env not a UUID",
      { labels: { ...managed, [LABEL_WORKSPACE_ID]: ID }, env: ["WORKSPACE_ID=x"] },
      `label ${LABEL_WORKSPACE_ID}="${ID}" and env WORKSPACE_ID="x" disagree (the env value is not a UUID)`,
    ],
    [
      "two env IDs",
      { env: [`WORKSPACE_ID=${ID}`, `WORKSPACE_ID=${OTHER}`] },
      `env WORKSPACE_ID is set more than once, to "${ID}" and "${OTHER}"`,
    ],
    [
      "a ws-<id12> name of another ID",
      { name: "ws-9e8d7c6b-5a4" },
      `name ws-9e8d7c6b-5a4 does not match workspace ID ${ID} (expected ${NAME})`,
    ],
    [
      "a -prev- name of another ID",
      { name: "ws-9e8d7c6b-5a4-prev-1" },
      `name ws-9e8d7c6b-5a4-prev-1 does not match workspace ID ${ID} (expected ${NAME})`,
    ],
  ])("%s → unreadable", (_, overrides, reason) => {
    expect(readContainerIdentity(platform(overrides))).toEqual({ kind: "unreadable", reason });
  });

  it("no label and no env → none", () => {
    expect(readContainerIdentity(platform({ env: ["PATH=/bin"] }))).toEqual({
      kind: "none",
      reason: `no ${LABEL_WORKSPACE_ID} label and no WORKSPACE_ID env var`,
    });
  });

  it.each([
    [DIGEST, `runtime unreadable: image ${DIGEST} is given by ID, not by a template repository`],
    [
      "busybox:latest",
      "runtime unreadable: image busybox:latest is not <prefix>/workspace-template-<runtime> or workspace-template:<runtime> of a known runtime",
    ],
  ])("says why the runtime of %s is unreadable", (image, problem) => {
    expect(readContainerIdentity(platform({ image }))).toMatchObject({
      kind: "found",
      runtime: null,
      runtimeProblem: problem,
    });
  });

  it("reports an unknown template label as the runtime problem", () => {
    const identity = readContainerIdentity(
      platform({ labels: { ...managed, [LABEL_WORKSPACE_ID]: ID, [LABEL_TEMPLATE]: "nope" } }),
    );
    expect(identity).toMatchObject({
      kind: "found",
      runtime: null,
      runtimeProblem: `label ${LABEL_TEMPLATE}="nope" is not a known runtime`,
    });
  });
});

describe("runtimeFromImage", () => {
  it.each([
    ["ghcr.io/molecule-ai/workspace-template-claude-code:latest", "claude-code"],
    [`ghcr.io/molecule-ai/workspace-template-claude-code@${DIGEST}`, "claude-code"],
    [`127.0.0.1:5000/a/b/workspace-template-gemini-cli:x@${DIGEST}`, "gemini-cli"],
    ["workspace-template-openclaw", "openclaw"],
    ["workspace-template:autogen", "autogen"],
    ["workspace-template:latest", null],
    ["workspace-template", null],
    ["ghcr.io/molecule-ai/template-claude-code:latest", null],
    ["ghcr.io/molecule-ai/workspace-template-claude-code-extra:1", null],
    [DIGEST, null],
    ["3d6761a97ed0", null],
    ["NOT A REF", null],
  ])("%s → %s", (image, runtime) => {
    expect(runtimeFromImage(image)).toBe(runtime);
  });
});

describe("envValues", () => {
  it("returns every value of the key, keeping '=' inside values", () => {
    expect(envValues(["A=1", "AB=2", "A=x=y", "A"], "A")).toEqual(["1", "x=y"]);
  });
});
