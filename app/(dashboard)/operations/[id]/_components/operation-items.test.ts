import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { OperationItemJson } from "@/components/operations/types";

import { OperationItems } from "./operation-items";

const QUARANTINED = `sha256:${"b".repeat(64)}`;
const FINE = `sha256:${"a".repeat(64)}`;

function item(fromDigest: string | null, toDigest: string | null): OperationItemJson {
  return {
    id: "1",
    workspaceId: "0b9c6f3e-58d4-4f6e-9d8a-1c2b3a4d5e6f",
    workspaceName: "ws",
    status: "succeeded",
    fromDigest,
    toDigest,
    image: null,
    error: null,
    outcome: null,
    startedAt: null,
    finishedAt: null,
  };
}

const marks = (items: OperationItemJson[], quarantined?: ReadonlySet<string>) =>
  renderToStaticMarkup(createElement(OperationItems, { items, omitted: 0, quarantined })).match(
    /data-testid="item-digest-quarantined"/g,
  )?.length ?? 0;

describe("operation items", () => {
  it.each([
    ["from a quarantined digest", [item(QUARANTINED, FINE)], 1],
    ["to it (a rollback's work undone by hand)", [item(FINE, QUARANTINED)], 1],
    ["neither", [item(FINE, FINE)], 0],
    ["no digests yet", [item(null, null)], 0],
  ])("marks a quarantined digest where it shows: %s", (_case, items, expected) => {
    expect(marks(items, new Set([QUARANTINED]))).toBe(expected);
  });

  it("marks nothing when the page could not read the quarantines", () => {
    expect(marks([item(QUARANTINED, FINE)])).toBe(0);
  });
});
