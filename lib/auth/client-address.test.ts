import { describe, expect, it } from "vitest";

import { authConfig } from "@/lib/config";

import { clientAddress } from "./client-address";
import { SOCKET_ADDRESS_HEADER } from "./constants";

const headers = (values: Record<string, string>) => new Headers(values);
const SOCKET = SOCKET_ADDRESS_HEADER;

describe("clientAddress", () => {
  it.each([
    // No trusted proxy: the socket address, whatever the client wrote (#13 item 2).
    [{ [SOCKET]: "10.1.2.3" }, {}, "10.1.2.3"],
    [{ [SOCKET]: "::ffff:127.0.0.1" }, {}, "127.0.0.1"],
    [{ [SOCKET]: "::1" }, {}, "::1"],
    [{ [SOCKET]: "192.0.2.50", "x-forwarded-for": "1.1.1.1" }, {}, "192.0.2.50"],
    [{ [SOCKET]: "192.0.2.50", "x-forwarded-for": "127.0.0.1" }, {}, "192.0.2.50"],
    [{ [SOCKET]: "192.0.2.50", "x-forwarded-for": "1.1.1.1, 10.0.0.7" }, {}, "192.0.2.50"],
    [{ [SOCKET]: "192.0.2.50", "x-real-ip": "9.9.9.9" }, {}, "192.0.2.50"],
    [{ "x-forwarded-for": "10.0.0.7" }, {}, "unknown"],
    [{}, {}, "unknown"],
    // One trusted proxy (nginx on 10.0.0.2): the entry it appended, the rightmost.
    [{ [SOCKET]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "1" }, "203.0.113.9"],
    [{ [SOCKET]: "10.0.0.2", "x-real-ip": "203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "1" }, "203.0.113.9"],
    // Trusted, but this request came straight to Fleetpin without the header: its socket.
    [{ [SOCKET]: "10.0.0.2" }, { FLEETPIN_TRUST_PROXY: "1" }, "10.0.0.2"],
    // Two trusted proxies (CDN → nginx): the address the outer one saw.
    [
      { [SOCKET]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 203.0.113.9, 198.51.100.2" },
      { FLEETPIN_TRUST_PROXY: "2" },
      "203.0.113.9",
    ],
    [{ [SOCKET]: "10.0.0.2", "x-forwarded-for": "203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "3" }, "203.0.113.9"],
    [{ [SOCKET]: "10.0.0.2", "x-forwarded-for": " , 10.0.0.1 ," }, { FLEETPIN_TRUST_PROXY: "true" }, "10.0.0.1"],
  ])("%j with %j → %s", (values, env, expected) => {
    expect(clientAddress(headers(values), authConfig(env))).toBe(expected);
  });

  it("caps the key length", () => {
    expect(clientAddress(headers({ [SOCKET]: "x".repeat(500) }), authConfig({}))).toHaveLength(64);
  });
});
