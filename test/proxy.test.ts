import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { proxy } from "@/proxy";

// proxy.ts (Next 16 middleware) called in-process with the request Next builds.
const get = (path: string, cookie?: string) =>
  proxy(new NextRequest(new URL(path, "http://127.0.0.1:3000"), { headers: cookie ? { cookie } : {} }));

describe("proxy", () => {
  it("answers 404 for a path that is not valid percent-encoding, signed in or not (#13 item 7)", async () => {
    for (const cookie of [undefined, "fleetpin_session=x"]) {
      const response = get("/pins/%E0%A4%A", cookie);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    expect(get("/pins/%zz", "fleetpin_session=x").status).toBe(404);
  });

  it("passes a signed-in request on with a fresh CSP nonce in the request and response headers (#13 item 6)", () => {
    const first = get("/pins/hermes", "fleetpin_session=x");
    const second = get("/pins/hermes", "fleetpin_session=x");
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    // NextResponse.next({ request: { headers } }) hands the overridden request headers on like this.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });

  it("sends a signed-out page request to the login page, with the policy too", () => {
    const response = get("/workspaces?q=x");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/login\?next=%2Fworkspaces%3Fq%3Dx$/);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("lets /api/v1 through without a session cookie: the API checks its bearer token itself (#15)", () => {
    for (const path of ["/api/v1/pins", "/api/v1/openapi.json", "/api/v1"]) {
      const response = get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
    // Only /api/v1: the older session-cookie JSON routes keep their gate.
    expect(get("/api/v1x").status).toBe(401);
    expect(get("/api/operations/1").status).toBe(401);
  });
});
