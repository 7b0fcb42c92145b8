import { describe, expect, it } from "vitest";

import { loginPath, safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it.each([
    ["/pins", "/pins"],
    ["/workspaces?status=failed&q=ab", "/workspaces?status=failed&q=ab"],
    ["/audit#latest", "/audit#latest"],
    ["/pins/../audit", "/audit"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["pins"],
    ["//evil.example/pins"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["https://evil.example/pins"],
    ["http:/evil.example"],
    ["javascript:alert(1)"],
    ["/login"],
    ["/login?next=/pins"],
    [`/${"a".repeat(3000)}`],
    // #13 item 4: fine as typed, but dot segments normalise them into a protocol-relative "//host".
    ["/.//evil.example/x"],
    ["/pins/..//evil.example"],
    ["/a/.././/evil.example"],
    ["/%2e//evil.example"],
    ["/./\\evil.example"],
  ])("refuses %j and falls back to /pins", (raw) => {
    expect(safeNextPath(raw as string | null | undefined)).toBe("/pins");
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//evil.example", "/stale")).toBe("/stale");
  });
});

describe("loginPath", () => {
  it("carries a safe next path, encoded", () => {
    expect(loginPath("/workspaces?status=failed")).toBe("/login?next=%2Fworkspaces%3Fstatus%3Dfailed");
  });

  it.each([[null], ["/"], ["//evil.example"], ["/login"]])("drops %j", (raw) => {
    expect(loginPath(raw)).toBe("/login");
  });
});
