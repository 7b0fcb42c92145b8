import { describe, expect, it } from "vitest";

import { authConfig } from "@/lib/config";

import { secureCookieProblem } from "./cookie-security";

describe("secure session cookies", () => {
  it("are on unless FLEETPIN_INSECURE_COOKIES=1", () => {
    expect(authConfig({}).secureCookies).toBe(true);
    expect(authConfig({ FLEETPIN_INSECURE_COOKIES: "0" }).secureCookies).toBe(true);
    expect(authConfig({ FLEETPIN_INSECURE_COOKIES: "1" }).secureCookies).toBe(false);
  });

  it.each([
    ["https", "fleetpin.example.com"],
    ["https,http", "fleetpin.example.com"],
    ["http", "127.0.0.1:3000"],
    ["http", "localhost:3000"],
    ["http", "[::1]:3000"],
    ["http", "app.localhost"],
  ])("work over %s at %s", (protocol, host) => {
    expect(secureCookieProblem({ protocol, host }, authConfig({}))).toBeNull();
  });

  it("explain the problem on plain HTTP at another address", () => {
    const problem = secureCookieProblem({ protocol: "http", host: "10.0.0.5:3000" }, authConfig({}));
    expect(problem).toContain("plain HTTP at 10.0.0.5:3000");
    expect(problem).toContain("FLEETPIN_INSECURE_COOKIES=1");
  });

  it("accept plain HTTP anywhere once secure cookies are turned off", () => {
    expect(
      secureCookieProblem({ protocol: "http", host: "10.0.0.5:3000" }, authConfig({ FLEETPIN_INSECURE_COOKIES: "1" })),
    ).toBeNull();
  });
});
