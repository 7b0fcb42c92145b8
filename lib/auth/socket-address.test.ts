import { createServer, request, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientAddress } from "./client-address";
import { stampSocketAddresses } from "./socket-address";

// A real HTTP server in this process, as next start is: the handler reads the
// address the way the sign-in action does, from headers only (#13 item 2).
describe("the socket address reaches request headers, and a client cannot forge it", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    stampSocketAddresses();
    server = createServer((req, res) => {
      const seen = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") seen.set(name, value);
      res.end(
        JSON.stringify({
          untrusted: clientAddress(seen, { trustProxyHops: 0 }),
          trusted: clientAddress(seen, { trustProxyHops: 1 }),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (headers: Record<string, string>) =>
    new Promise<{ untrusted: string; trusted: string }>((resolve, reject) => {
      request({ port, host: "127.0.0.1", path: "/", headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(JSON.parse(body)));
      })
        .on("error", reject)
        .end();
    });

  it("uses the socket address without a trusted proxy, whatever X-Forwarded-For or our own header say", async () => {
    expect(await get({})).toEqual({ untrusted: "127.0.0.1", trusted: "127.0.0.1" });
    expect(await get({ "x-forwarded-for": "203.0.113.9", "x-fleetpin-socket-address": "6.6.6.6" })).toEqual({
      untrusted: "127.0.0.1",
      trusted: "203.0.113.9",
    });
  });
});
