import { describe, expect, it } from "vitest";

import { bakeWaitingOn, describeBakeWaits, type RolloutWorkspaceView } from "./rollout-view";

function ws(id: string, name: string, host: string): RolloutWorkspaceView {
  return { id, name, host, state: "online", health: null, containerId: null, digest: null, lastLogLines: null };
}

describe("bakeWaitingOn", () => {
  const workspaces = [ws("a", "ws-a", "h3"), ws("b", "ws-b", "local"), ws("c", "ws-c", "h3")];
  it.each([
    { name: "no look yet", gate: null, expected: [] },
    { name: "every engine answered", gate: { ok: true, failures: [] }, expected: [] },
    {
      name: "one host did not answer",
      gate: { ok: true, failures: [], unknown: ["a", "c"] },
      expected: [
        { id: "a", name: "ws-a", host: "h3" },
        { id: "c", name: "ws-c", host: "h3" },
      ],
    },
    {
      name: "a workspace the ring no longer lists",
      gate: { ok: true, failures: [], unknown: ["0123456789abcdef"] },
      expected: [{ id: "0123456789abcdef", name: "01234567", host: "unknown host" }],
    },
  ])("$name", ({ gate, expected }) => {
    expect(bakeWaitingOn({ gate, workspaces })).toEqual(expected);
  });
});

describe("describeBakeWaits", () => {
  it.each([
    { waits: [], expected: "" },
    { waits: [{ id: "a", name: "ws-a", host: "h3" }], expected: "h3 (ws-a)" },
    {
      waits: [
        { id: "a", name: "ws-a", host: "h3" },
        { id: "b", name: "ws-b", host: "h4" },
        { id: "c", name: "ws-c", host: "h3" },
      ],
      expected: "h3 (ws-a, ws-c); h4 (ws-b)",
    },
  ])("$expected", ({ waits, expected }) => {
    expect(describeBakeWaits(waits)).toBe(expected);
  });
});
