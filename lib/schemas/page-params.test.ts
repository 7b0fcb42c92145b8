import { describe, expect, it } from "vitest";

import { parseRolloutsPageParams } from "./page-params";

describe("/rollouts search parameters", () => {
  it.each([
    [{}, {}],
    [
      { template: "hermes", status: "active" },
      { template: "hermes", status: "active" },
    ],
    [{ status: "rolled_back" }, { status: "rolled_back" }],
    [{ status: "exploded", template: "\u0000" }, {}],
    [{ status: ["running", "paused"] }, {}],
  ])("%j → %j", (raw, expected) => {
    const parsed = parseRolloutsPageParams(raw);
    expect(Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined))).toEqual(expected);
  });
});
