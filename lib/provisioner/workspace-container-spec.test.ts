import { describe, expect, it } from "vitest";

import type { DockerContainer } from "./docker-types";
import { LABEL_MANAGED, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "./naming";
import { DEFAULT_CONTAINER_NETWORK, workspaceContainerSpec } from "./workspace-container-spec";

const ID = "0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e";
const IMAGE = `ghcr.io/molecule-ai/workspace-template-hermes@sha256:${"a".repeat(64)}`;

function previous(overrides: Partial<DockerContainer> = {}): DockerContainer {
  return {
    id: "c".repeat(64),
    name: "ws-0b6e3c1a-1f2",
    image: "old",
    imageId: "sha256:old",
    labels: { [LABEL_MANAGED]: "true" },
    env: ["PATH=/usr/bin", "WORKSPACE_ID=" + ID, "PLATFORM_URL=http://platform:8080", "PYTHONPATH=/app"],
    status: "running",
    running: true,
    exitCode: 0,
    error: "",
    startedAt: null,
    finishedAt: null,
    createdAt: "",
    restartPolicy: "unless-stopped",
    networkMode: "molecule-monorepo-net",
    mounts: [
      { type: "volume", source: "ws-0b6e3c1a-1f2-configs", target: "/configs", readOnly: false },
      { type: "volume", source: `ws-${ID}-workspace`, target: "/workspace", readOnly: false },
    ],
    ...overrides,
  };
}

describe("workspaceContainerSpec", () => {
  it("follows the seed conventions for a first container", () => {
    expect(workspaceContainerSpec({ workspaceId: ID, template: "hermes", image: IMAGE, env: {} })).toEqual({
      name: "ws-0b6e3c1a-1f2",
      image: IMAGE,
      labels: { [LABEL_MANAGED]: "true", [LABEL_WORKSPACE_ID]: ID, [LABEL_TEMPLATE]: "hermes" },
      env: [`WORKSPACE_ID=${ID}`],
      mounts: [{ type: "volume", source: `ws-${ID}-workspace`, target: "/workspace" }],
      restartPolicy: "unless-stopped",
      networkMode: DEFAULT_CONTAINER_NETWORK,
      platform: "linux/amd64",
    });
  });

  it("takes the network and platform from the env it is given", () => {
    const spec = workspaceContainerSpec({
      workspaceId: ID,
      template: "hermes",
      image: IMAGE,
      env: { FLEETPIN_CONTAINER_NETWORK: " none ", MOLECULE_IMAGE_PLATFORM: "" },
    });
    expect(spec.networkMode).toBe("none");
    expect(spec.platform).toBe("");
  });

  it("carries over the replaced container's own mounts, variables and network, not its image's", () => {
    const spec = workspaceContainerSpec({
      workspaceId: ID,
      template: "hermes",
      image: IMAGE,
      env: {},
      previous: previous(),
      previousImageEnv: ["PATH=/usr/bin"],
    });
    expect(spec.mounts).toEqual([
      { type: "volume", source: `ws-${ID}-workspace`, target: "/workspace" },
      { type: "volume", source: "ws-0b6e3c1a-1f2-configs", target: "/configs", readOnly: false },
    ]);
    expect(spec.env).toEqual([`WORKSPACE_ID=${ID}`, "PLATFORM_URL=http://platform:8080", "PYTHONPATH=/app"]);
    expect(spec.networkMode).toBe("molecule-monorepo-net");
  });

  it("lets FLEETPIN_CONTAINER_NETWORK win over the replaced container's network", () => {
    const spec = workspaceContainerSpec({ workspaceId: ID, template: "hermes", image: IMAGE, env: { FLEETPIN_CONTAINER_NETWORK: "none" }, previous: previous() });
    expect(spec.networkMode).toBe("none");
  });
});
