import { describe, expect, it } from "vitest";

import {
  describeWorkspaceState,
  DockerOperationError,
  FleetpinError,
  ReprovisionFailedError,
  workspaceStateOf,
  type WorkspaceState,
} from "./errors";

describe("ReprovisionFailedError", () => {
  it("is an expected error carrying where the workspace stands, and its cause", () => {
    const cause = new Error("manifest unknown");
    const error = new ReprovisionFailedError("pull failed: manifest unknown", "old_running", { cause });

    expect(error).toBeInstanceOf(FleetpinError);
    expect(error).toMatchObject({
      name: "ReprovisionFailedError",
      code: "reprovision_failed",
      message: "pull failed: manifest unknown",
      workspaceState: "old_running",
      cause,
    });
  });

  it.each<[WorkspaceState, RegExp]>([
    ["old_running", /^still running its old image$/],
    ["old_stopped", /^stopped: /],
    ["down", /^down: /],
    ["new_running", /^running its new image/],
    ["unknown", /^state unknown, check the workspace$/],
  ])("describes %s in plain words", (state, phrase) => {
    expect(describeWorkspaceState(state)).toMatch(phrase);
  });

  it.each<[string, unknown, WorkspaceState]>([
    ["its own state", new ReprovisionFailedError("stop failed", "old_stopped"), "old_stopped"],
    ["a plain Docker error", new DockerOperationError("transport is closing"), "unknown"],
    ["a bug", new TypeError("x is undefined"), "unknown"],
    ["a thrown string", "boom", "unknown"],
  ])("takes the workspace state of %s", (_name, error, state) => {
    expect(workspaceStateOf(error)).toBe(state);
  });
});
