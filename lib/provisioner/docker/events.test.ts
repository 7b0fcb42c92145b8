import { describe, expect, it } from "vitest";

import { parseEvent } from "./events";

describe("parseEvent", () => {
  it("reads the fields Fleetpin uses", () => {
    const line = JSON.stringify({
      Type: "container",
      Action: "health_status: unhealthy",
      Actor: { ID: "abc123", Attributes: { name: "ws-0123", "molecule.platform.managed": "true" } },
      scope: "local",
      time: 1,
      timeNano: 1000,
    });
    expect(parseEvent(line)).toEqual({
      type: "container",
      action: "health_status: unhealthy",
      id: "abc123",
      attributes: { name: "ws-0123", "molecule.platform.managed": "true" },
      timeNano: 1000,
    });
  });

  it.each(["not json", "null", "42", '{"Type":"container"}', '{"Action":"die"}'])("ignores %s", (line) => {
    expect(parseEvent(line)).toBeNull();
  });

  it("tolerates a missing actor", () => {
    expect(parseEvent('{"Type":"container","Action":"die"}')).toEqual({
      type: "container",
      action: "die",
      id: "",
      attributes: {},
      timeNano: 0,
    });
  });
});
