import { describe, expect, it } from "vitest";

import { probeAddress } from "./bake-gate";

describe("probeAddress", () => {
  it.each([
    ["tcp://10.0.0.7:2376", undefined, "10.0.0.7"],
    ["tcp://docker-eu-1.internal:2375", "0.0.0.0", "docker-eu-1.internal"],
    ["unix:///var/run/docker.sock", "0.0.0.0", "127.0.0.1"],
    ["unix:///var/run/docker.sock", "::", "127.0.0.1"],
    ["unix:///var/run/docker.sock", "127.0.0.2", "127.0.0.2"],
    ["unix:///var/run/docker.sock", undefined, "127.0.0.1"],
  ])("%s with HostIp %s → %s", (endpoint, hostIp, expected) => {
    expect(probeAddress(endpoint, hostIp)).toBe(expected);
  });
});
