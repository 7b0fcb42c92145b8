import { describe, expect, it } from "vitest";

import { cancelNote, failureText, itemResultText } from "./operation-text";

describe("itemResultText / failureText", () => {
  it.each<[string | null, string | null, string, string]>([
    [
      "pull failed: manifest unknown",
      "still running its old image",
      "pull failed: manifest unknown — still running its old image",
      "pull failed: manifest unknown — still running its old image",
    ],
    ["transport is closing", null, "transport is closing", "transport is closing — state unknown, check the workspace"],
    [null, "running its new image", "running its new image", "failed without an error message — running its new image"],
    [null, null, "", "failed without an error message — state unknown, check the workspace"],
    [
      "  ",
      "not started; the workspace was not touched",
      "not started; the workspace was not touched",
      "  — not started; the workspace was not touched",
    ],
  ])("error %j, outcome %j", (error, outcome, line, failure) => {
    expect(itemResultText({ error, outcome })).toBe(line);
    if (error?.trim() !== "") expect(failureText({ error, outcome })).toBe(failure);
  });
});

describe("cancelNote", () => {
  const at = "2026-11-30 06:10:00 UTC";
  it.each<[string, Parameters<typeof cancelNote>[0], string | null]>([
    [
      "nobody cancelled",
      { cancelRequested: false, cancelledBy: null, at: null, status: "succeeded", cancelled: 0 },
      null,
    ],
    [
      "still running",
      { cancelRequested: true, cancelledBy: "bob", at, status: "running", cancelled: 0 },
      `Cancel requested by bob at ${at}; running items finish first.`,
    ],
    [
      "came after the queue drained",
      { cancelRequested: true, cancelledBy: "bob", at, status: "succeeded", cancelled: 0 },
      `Cancel requested by bob at ${at}; nothing was left to cancel (every item had already started).`,
    ],
    [
      "stopped some items",
      { cancelRequested: true, cancelledBy: "bob", at, status: "cancelled", cancelled: 3 },
      `Cancel requested by bob at ${at}; 3 items were not started.`,
    ],
    [
      "one item",
      { cancelRequested: true, cancelledBy: "bob", at, status: "cancelled", cancelled: 1 },
      `Cancel requested by bob at ${at}; 1 item was not started.`,
    ],
    [
      "closed by a restart after the cancel",
      { cancelRequested: true, cancelledBy: "bob", at, status: "cancelled", cancelled: 0 },
      `Cancel requested by bob at ${at}.`,
    ],
    [
      "a row from before cancelled_by existed",
      { cancelRequested: true, cancelledBy: null, at: null, status: "cancelled", cancelled: 2 },
      "Cancel requested by an operator; 2 items were not started.",
    ],
  ])("%s", (_name, progress, expected) => {
    expect(cancelNote(progress)).toBe(expected);
  });
});
