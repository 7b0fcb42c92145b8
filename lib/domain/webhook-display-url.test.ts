import { describe, expect, it } from "vitest";

import { displayUrl } from "./webhook-display-url";

describe("displayUrl", () => {
  it.each([
    [
      "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx",
      "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/abcd…",
    ],
    ["https://ci.example.com/hook?token=secret", "https://ci.example.com/hook?…"],
    ["http://127.0.0.1:9000/hook", "http://127.0.0.1:9000/hook"],
    ["https://example.com", "https://example.com/"],
    ["nope", "(invalid URL)"],
  ])("%s → %s", (url, shown) => expect(displayUrl(url)).toBe(shown));
});
