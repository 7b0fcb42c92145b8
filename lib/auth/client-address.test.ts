import { describe, expect, it } from "vitest";

import { clientAddress } from "@/lib/auth/client-address";

const headers = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it.each([
    // Direct connection: Next.js put the socket address into X-Forwarded-For.
    [{ "x-forwarded-for": "10.1.2.3" }, {}, "10.1.2.3"],
    [{ "x-forwarded-for": "::ffff:127.0.0.1" }, {}, "127.0.0.1"],
    [{ "x-forwarded-for": "::1" }, {}, "::1"],
    // Untrusted: X-Real-IP is ignored (anyone can send it), the last XFF entry is used.
    [{ "x-real-ip": "9.9.9.9" }, {}, "unknown"],
    [{ "x-forwarded-for": "1.1.1.1, 10.0.0.7" }, {}, "10.0.0.7"],
    [{}, {}, "unknown"],
    // One trusted proxy: the entry it appended (the rightmost).
    [{ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "1" }, "203.0.113.9"],
    [{ "x-real-ip": "203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "1" }, "203.0.113.9"],
    // Two trusted proxies (CDN → nginx): the address the outer one saw.
    [{ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 198.51.100.2" }, { FLEETPIN_TRUST_PROXY: "2" }, "203.0.113.9"],
    [{ "x-forwarded-for": "203.0.113.9" }, { FLEETPIN_TRUST_PROXY: "3" }, "203.0.113.9"],
    [{ "x-forwarded-for": " , 10.0.0.1 ," }, {}, "10.0.0.1"],
  ])("%j with %j → %s", (values, env, expected) => {
    expect(clientAddress(headers(values), env)).toBe(expected);
  });

  it("caps the key length", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "x".repeat(500) }), {})).toHaveLength(64);
  });
});
