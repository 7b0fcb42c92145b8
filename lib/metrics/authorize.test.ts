import { describe, expect, it } from "vitest";

import { SOCKET_ADDRESS_HEADER } from "@/lib/auth/constants";
import type { Db } from "@/lib/db/client";
import { makeToken } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { authorizeMetricsRequest, isLoopbackAddress } from "./authorize";
import { dockerErrorKind } from "./docker-error-kind";

// Loopback and header checks never reach the database: a getDb that is called fails the test.
const noDb = (): Promise<Db> => Promise.reject(new Error("the database was not expected to be read"));

const request = (socket: string, headers: Record<string, string> = {}) =>
  new Request("http://fleetpin.test/metrics", { headers: { [SOCKET_ADDRESS_HEADER]: socket, ...headers } });

describe("authorizeMetricsRequest", () => {
  it.each([
    ["IPv4 loopback", request("127.0.0.1"), {}, true],
    ["any 127/8 address", request("127.3.2.1"), {}, true],
    ["IPv6 loopback", request("::1"), {}, true],
    ["IPv4-mapped loopback", request("::ffff:127.0.0.1"), {}, true],
    ["another machine", request("10.0.0.7"), {}, false],
    ["no socket address at all", new Request("http://fleetpin.test/metrics"), {}, false],
    // What `next start` hands a direct scrape: X-Forwarded-For filled with the socket's own address.
    ["a direct scrape as Next passes it", request("127.0.0.1", { "x-forwarded-for": "127.0.0.1" }), {}, true],
    ["the same over IPv6", request("::1", { "x-forwarded-for": "::1" }), {}, true],
    ["a proxy on loopback nobody declared", request("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }), {}, false],
    [
      "an undeclared proxy appending to a chain",
      request("127.0.0.1", { "x-forwarded-for": "203.0.113.9, 127.0.0.1" }),
      {},
      false,
    ],
    ["an undeclared proxy saying Forwarded", request("127.0.0.1", { forwarded: "for=203.0.113.9" }), {}, false],
    [
      "a declared proxy forwarding a remote client",
      request("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }),
      { FLEETPIN_TRUST_PROXY: "1" },
      false,
    ],
    [
      "a declared proxy forwarding a local client",
      request("127.0.0.1", { "x-forwarded-for": "127.0.0.1" }),
      { FLEETPIN_TRUST_PROXY: "1" },
      true,
    ],
    ["a spoofed X-Forwarded-For from afar", request("10.0.0.7", { "x-forwarded-for": "127.0.0.1" }), {}, false],
  ])("%s: allowed %s", async (_what, req, env, allowed) => {
    expect((await authorizeMetricsRequest(req, noDb, env)) === null).toBe(allowed);
  });

  it("refuses with 401 problem+json from afar without a token, and with a malformed one", async () => {
    for (const refused of [
      await authorizeMetricsRequest(request("10.0.0.7"), noDb, {}),
      await authorizeMetricsRequest(request("10.0.0.7", { authorization: "Bearer fp_abc" }), noDb, {}),
    ]) {
      expect(refused?.status).toBe(401);
      expect(refused?.headers.get("content-type")).toBe("application/problem+json");
      expect(refused?.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await refused?.json()).toMatchObject({ status: 401, title: "Unauthorized", detail: expect.any(String) });
    }
  });

  it.each([
    ["127.0.0.1", true],
    ["::1", true],
    ["128.0.0.1", false],
    ["::2", false],
    ["localhost", false],
  ])("%s is loopback: %s", (address, loopback) => expect(isLoopbackAddress(address)).toBe(loopback));
});

describe.each(availableBackends())("authorizeMetricsRequest with API tokens on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["api_tokens"] });

  it("lets a viewer token scrape from afar and refuses a revoked one", async () => {
    const viewer = await makeToken(db(), "viewer");
    const from = (token: string) => request("10.0.0.7", { authorization: `Bearer ${token}` });
    expect(await authorizeMetricsRequest(from(viewer.token), async () => db(), {})).toBeNull();
    await db().apiToken.update({
      where: { id: viewer.id },
      data: { revokedAt: new Date(), revokedBy: "olga@example.com" },
    });
    const refused = await authorizeMetricsRequest(from(viewer.token), async () => db(), {});
    expect(refused?.status).toBe(401);
    expect(await refused?.json()).toMatchObject({ status: 401 });
  });
});

describe("dockerErrorKind", () => {
  it.each([
    [undefined, "ECONNREFUSED", "unreachable"],
    [undefined, undefined, "other"],
    [404, undefined, "not_found"],
    [409, undefined, "conflict"],
    [304, undefined, "not_modified"],
    [400, undefined, "client_error"],
    [500, undefined, "server_error"],
    [503, undefined, "server_error"],
  ])("status %s code %s → %s", (status, code, kind) => expect(dockerErrorKind(status, code)).toBe(kind));
});
