import { describe, expect, it } from "vitest";

import type { WorkspaceStatus } from "@/lib/generated/prisma/enums";
import type { ContainerStatus } from "@/lib/provisioner/docker/types";

import { isUnhealthy, statusForContainer, statusForMissingContainer } from "./status-rules";

describe("statusForContainer", () => {
  it.each<[ContainerStatus, boolean, WorkspaceStatus | null, WorkspaceStatus]>([
    ["running", false, null, "online"],
    ["running", true, null, "degraded"],
    ["running", false, "down", "online"],
    ["running", false, "unknown", "online"],
    ["running", false, "paused", "online"], // it runs: the row follows the container
    ["paused", false, "online", "paused"],
    ["restarting", false, "online", "degraded"],
    ["exited", false, null, "down"],
    ["exited", false, "online", "down"],
    ["exited", false, "unknown", "down"],
    ["exited", false, "offline", "down"],
    ["created", false, "provisioning", "down"],
    ["dead", false, "online", "down"],
    ["removing", false, "online", "down"],
    ["exited", false, "paused", "paused"],
    ["exited", false, "hibernated", "hibernated"],
    ["exited", false, "hibernating", "hibernating"],
  ])("%s (unhealthy %s) with row %s → %s", (state, unhealthy, current, expected) => {
    expect(statusForContainer(state, unhealthy, current)).toBe(expected);
  });
});

describe("statusForMissingContainer", () => {
  it.each<[WorkspaceStatus, WorkspaceStatus]>([
    ["online", "down"],
    ["unknown", "down"],
    ["failed", "down"],
    ["paused", "paused"],
    ["hibernated", "hibernated"],
    ["hibernating", "hibernating"],
  ])("%s → %s", (current, expected) => {
    expect(statusForMissingContainer(current)).toBe(expected);
  });
});

describe("isUnhealthy", () => {
  it.each([
    ["Up 3 minutes (unhealthy)", true],
    ["Up 3 minutes (healthy)", false],
    ["Up 2 seconds (health: starting)", false],
    ["Exited (137) 5 seconds ago", false],
  ])("%s → %s", (text, expected) => {
    expect(isUnhealthy(text)).toBe(expected);
  });
});
