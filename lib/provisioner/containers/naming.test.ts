import { describe, expect, it } from "vitest";

import {
  claudeSessionsVolumeName,
  configVolumeName,
  containerName,
  LABEL_MANAGED,
  LABEL_TEMPLATE,
  LABEL_WORKSPACE_ID,
  workspaceLabels,
  workspaceVolumeName,
} from "./naming";

const UUID = "3f2c9a1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b";

describe("workspace naming", () => {
  // Seed TestContainerName / TestConfigVolumeName rows (spec §3).
  it.each([
    ["short", "ws-short", "ws-short-configs", "ws-short-claude-sessions"],
    ["exactly12ch", "ws-exactly12ch", "ws-exactly12ch-configs", "ws-exactly12ch-claude-sessions"],
    ["longer-than-twelve-characters", "ws-longer-than-", "ws-longer-than--configs", "ws-longer-than--claude-sessions"],
    ["abc", "ws-abc", "ws-abc-configs", "ws-abc-claude-sessions"],
    [UUID, "ws-3f2c9a1e-7b4", "ws-3f2c9a1e-7b4-configs", "ws-3f2c9a1e-7b4-claude-sessions"],
    ["", "ws-", "ws--configs", "ws--claude-sessions"],
  ])("%j → %s / %s / %s", (id, container, configs, sessions) => {
    expect(containerName(id)).toBe(container);
    expect(configVolumeName(id)).toBe(configs);
    expect(claudeSessionsVolumeName(id)).toBe(sessions);
    expect(claudeSessionsVolumeName(id)).not.toBe(configVolumeName(id));
  });

  it.each([
    ["longer-than-twelve-characters", "ws-longer-than-twelve-characters-workspace"],
    [UUID, `ws-${UUID}-workspace`],
    ["abc", "ws-abc-workspace"],
  ])("the workspace volume keeps the full id: %s", (id, expected) => {
    expect(workspaceVolumeName(id)).toBe(expected);
  });
});

describe("workspace labels", () => {
  it("uses the platform's label keys", () => {
    expect(LABEL_MANAGED).toBe("molecule.platform.managed");
    expect(LABEL_WORKSPACE_ID).toBe("molecule.workspace.id");
    expect(LABEL_TEMPLATE).toBe("molecule.workspace.template");
  });

  it("labels a container with managed=true, the full id and the template", () => {
    expect(workspaceLabels(UUID, "hermes")).toStrictEqual({
      "molecule.platform.managed": "true",
      "molecule.workspace.id": UUID,
      "molecule.workspace.template": "hermes",
    });
  });

  it("is usable wherever Docker expects a plain label map", () => {
    const labels: Record<string, string> = workspaceLabels("a", "b");
    expect(Object.keys(labels)).toHaveLength(3);
  });

  it("returns a fresh object each call", () => {
    const labels = workspaceLabels("a", "b");
    labels[LABEL_TEMPLATE] = "changed";
    expect(workspaceLabels("a", "b")[LABEL_TEMPLATE]).toBe("b");
  });
});
