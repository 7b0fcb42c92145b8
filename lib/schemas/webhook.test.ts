import { describe, expect, it } from "vitest";

import { createWebhookSchema } from "./webhook";

describe("createWebhookSchema", () => {
  it.each([
    [{ url: "https://hooks.example.com/x", events: ["pin.promoted"] }, true],
    [{ url: "http://127.0.0.1:9000/x", secret: "", events: ["operation.failed"] }, true],
    [{ url: "ftp://hooks.example.com/x", events: ["pin.promoted"] }, false],
    [{ url: "https://user:pw@hooks.example.com/x", events: ["pin.promoted"] }, false],
    [{ url: "not a url", events: ["pin.promoted"] }, false],
    [{ url: "https://hooks.example.com/x", events: [] }, false],
    [{ url: "https://hooks.example.com/x", events: ["pin.promote"] }, false],
    [{ url: "https://hooks.example.com/x", secret: "short", events: ["pin.promoted"] }, false],
  ])("%j valid: %s", (input, valid) => {
    expect(createWebhookSchema.safeParse(input).success).toBe(valid);
  });
});
