import { describe, expect, it } from "vitest";

import {
  isWebhookEvent,
  operationEndEvent,
  pinChangeEvent,
  webhookText,
  type WebhookData,
  type WebhookEvent,
} from "./webhook-events";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe("webhookText", () => {
  const cases: [WebhookEvent, WebhookData, string][] = [
    [
      "rollout.started",
      { template: "hermes", rollout_id: "12345678-aaaa", from_digest: A, to_digest: B, actor: "a@x", reason: "r7" },
      "Fleetpin: hermes rollout 12345678 started: sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb by a@x: r7",
    ],
    [
      "rollout.rolled_back",
      { template: "hermes", rollout_id: "12345678-aaaa", from_digest: A, reason: "canary: bake gate failed" },
      "Fleetpin: hermes rollout 12345678 rolling back to sha256:aaaaaaaaaaaa: canary: bake gate failed",
    ],
    [
      "rollout.ring_passed",
      { template: "hermes", rollout_id: "12345678-aaaa", ring: "canary" },
      "Fleetpin: hermes rollout 12345678: ring canary passed its bake",
    ],
    [
      "pin.promoted",
      { template: "hermes", from_digest: null, to_digest: A, actor: "alice@example.com", reason: "release 7" },
      `Fleetpin: hermes pinned to sha256:aaaaaaaaaaaa by alice@example.com (was unpinned): release 7`,
    ],
    [
      "pin.promoted",
      { template: "hermes", from_digest: A, to_digest: B, actor: "token:ci" },
      `Fleetpin: hermes pinned to sha256:bbbbbbbbbbbb by token:ci (was sha256:aaaaaaaaaaaa)`,
    ],
    [
      "pin.rolled_back",
      { template: "hermes", from_digest: B, to_digest: A, actor: "bob@example.com", reason: "bad" },
      `Fleetpin: hermes rolled back to sha256:aaaaaaaaaaaa from sha256:bbbbbbbbbbbb by bob@example.com: bad`,
    ],
    [
      "pin.unpinned",
      { template: "hermes", from_digest: A, to_digest: null, actor: "bob@example.com", reason: "x" },
      `Fleetpin: hermes unpinned (was sha256:aaaaaaaaaaaa) by bob@example.com; it follows :latest again: x`,
    ],
    [
      "operation.finished",
      { operation_id: "12345678-aaaa", kind: "bulk_reprovision", status: "succeeded", succeeded: 3, failed: 0 },
      "Fleetpin: bulk_reprovision 12345678 succeeded (3 succeeded, 0 failed)",
    ],
    [
      "operation.failed",
      { operation_id: "12345678-aaaa", kind: "reprovision", status: "partially_failed", succeeded: 1, failed: 2 },
      "Fleetpin: reprovision 12345678 partially failed (1 succeeded, 2 failed)",
    ],
    [
      "operation.finished",
      { operation_id: "12345678-aaaa", status: "cancelled" },
      "Fleetpin: operation 12345678 cancelled",
    ],
    [
      "workspace.reprovision_failed",
      { workspace_id: "87654321-bbbb", template: "hermes", error: "pull failed: <manifest unknown> & more" },
      "Fleetpin: reprovision of workspace 87654321 (hermes) failed: pull failed: &lt;manifest unknown&gt; &amp; more",
    ],
  ];
  it.each(cases)("%s %j", (event, data, text) => {
    expect(webhookText(event, data)).toBe(text);
  });
});

describe("event choice", () => {
  it.each([
    ["promote", "pin.promoted"],
    ["rollback", "pin.rolled_back"],
    ["unpin", "pin.unpinned"],
  ] as const)("pin %s → %s", (action, event) => expect(pinChangeEvent(action)).toBe(event));

  it.each([
    ["succeeded", "operation.finished"],
    ["cancelled", "operation.finished"],
    ["failed", "operation.failed"],
    ["partially_failed", "operation.failed"],
  ])("operation %s → %s", (status, event) => expect(operationEndEvent(status)).toBe(event));

  it("knows its events and nothing else", () => {
    expect(isWebhookEvent("pin.promoted")).toBe(true);
    expect(isWebhookEvent("pin.promote")).toBe(false);
    expect(isWebhookEvent(7)).toBe(false);
  });
});
