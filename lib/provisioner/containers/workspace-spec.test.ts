import { describe, expect, it } from "vitest";

import { LABEL_MANAGED, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "./naming";
import { DEFAULT_CONTAINER_NETWORK, specToCreateRequest, workspaceContainerSpec } from "./workspace-spec";

const ID = "0b6e3c1a-1f2d-4c3b-9a8e-7d6c5b4a3f2e";
const IMAGE = `ghcr.io/molecule-ai/workspace-template-hermes@sha256:${"a".repeat(64)}`;

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

  it("becomes the create request the daemon takes", () => {
    const spec = workspaceContainerSpec({
      workspaceId: ID,
      template: "hermes",
      image: IMAGE,
      env: { FLEETPIN_CONTAINER_NETWORK: "none" },
    });
    expect(specToCreateRequest({ ...spec, cmd: ["/bin/sh"] })).toEqual({
      name: "ws-0b6e3c1a-1f2",
      platform: "linux/amd64",
      body: {
        Image: IMAGE,
        Labels: spec.labels,
        Env: [`WORKSPACE_ID=${ID}`],
        Cmd: ["/bin/sh"],
        HostConfig: {
          Mounts: [{ Type: "volume", Source: `ws-${ID}-workspace`, Target: "/workspace", ReadOnly: false }],
          RestartPolicy: { Name: "unless-stopped" },
          NetworkMode: "none",
        },
      },
      extraNetworks: [],
    });
    expect(specToCreateRequest({ ...spec, platform: "" })).not.toHaveProperty("platform");
  });
});
