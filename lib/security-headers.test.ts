import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from "./security-headers";

const nextConfig = createRequire(import.meta.url)("../next.config.js") as { headers: () => Promise<unknown> };

describe("security headers", () => {
  it("next.config.js sends the same static headers on every path", async () => {
    expect(await nextConfig.headers()).toEqual([{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }]);
  });

  it("builds a policy around the nonce that forbids framing and un-nonced scripts", () => {
    const policy = contentSecurityPolicy("abc123==");
    expect(policy).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy("x", { dev: true })).toContain("'unsafe-eval'");
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
