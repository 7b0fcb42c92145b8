import { describe, expect, it } from "vitest";

import { syncReport } from "./report";
import type { SyncResult } from "./types";

const empty: SyncResult = { adopted: [], updated: [], missing: [], skipped: [], errors: [] };
const skip = {
  workspaceId: null,
  containerId: "c1",
  containerName: "ws-a",
  reason: 'identity unreadable: env WORKSPACE_ID="x" is not a UUID',
};
const error = { workspaceId: "w2", containerId: null, containerName: null, message: "inspect failed" };

describe("syncReport", () => {
  it.each<[string, SyncResult, number, string | null]>([
    ["nothing to report", empty, 3, null],
    [
      "skips only",
      { ...empty, skipped: [skip] },
      3,
      '1 left alone: ws-a: identity unreadable: env WORKSPACE_ID="x" is not a UUID',
    ],
    ["errors only", { ...empty, errors: [error] }, 3, "1 of 4 could not be synced: w2: inspect failed"],
    [
      "both, each named",
      { ...empty, errors: [error], skipped: [skip, { ...skip, containerName: null, workspaceId: null, reason: "r" }] },
      0,
      '1 of 1 could not be synced: w2: inspect failed. 2 left alone: ws-a: identity unreadable: env WORKSPACE_ID="x" is not a UUID; c1: r',
    ],
  ])("%s", (_, result, succeeded, expected) => {
    expect(syncReport(result, succeeded)).toBe(expected);
  });
});
