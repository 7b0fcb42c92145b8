import { describe, expect, it } from "vitest";

import { claimGapSeconds, minDigestAgeSeconds, watchedTags, watchIntervalSeconds } from "./watch-config";

describe("watch config", () => {
  it.each([
    [undefined, 300],
    ["", 300],
    ["0", 0],
    ["0.5", 0.5],
    ["60", 60],
  ])("FLEETPIN_WATCH_INTERVAL=%j → %d s", (value, seconds) => {
    expect(watchIntervalSeconds({ FLEETPIN_WATCH_INTERVAL: value })).toBe(seconds);
  });

  it.each([
    { FLEETPIN_WATCH_INTERVAL: "-1" },
    { FLEETPIN_WATCH_INTERVAL: "soon" },
    { FLEETPIN_WATCH_TAGS: "-bad,:x" },
    { FLEETPIN_MIN_DIGEST_AGE: "x" },
  ])("refuses %j, naming the variable", (env) => {
    expect(() => watchedTags(env, null) && minDigestAgeSeconds(env, null) && watchIntervalSeconds(env)).toThrow(
      new RegExp(Object.keys(env)[0]!),
    );
  });

  it("claims leave a tenth of the interval of slack", () => {
    expect(claimGapSeconds(300)).toBe(270);
  });

  it.each([
    [{}, null, ["latest"]],
    [{ FLEETPIN_WATCH_TAGS: "latest, stable ,latest" }, null, ["latest", "stable"]],
    [{ FLEETPIN_WATCH_TAGS: "stable" }, ["canary"], ["canary"]],
  ])("tags %j override %j → %j", (env, override, tags) => {
    expect(watchedTags(env, override)).toEqual(tags);
  });

  it.each([
    [{}, null, 0],
    [{ FLEETPIN_MIN_DIGEST_AGE: "3600" }, null, 3600],
    [{ FLEETPIN_MIN_DIGEST_AGE: "3600" }, 0, 0],
    [{}, 86400, 86400],
  ])("cool-down %j override %j → %d", (env, override, seconds) => {
    expect(minDigestAgeSeconds(env, override)).toBe(seconds);
  });
});
