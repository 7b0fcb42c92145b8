import { describe, expect, it } from "vitest";

import { digestState, type DigestStateFacts } from "./digest-state";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const t = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute));
const base: DigestStateFacts = {
  digest: B,
  quarantined: false,
  firstSeenAt: t(10),
  seenVia: ["watcher"],
  pinnedDigest: A,
  pinnedFirstSeenAt: t(5),
  everPinned: new Set([A]),
};

describe("digestState", () => {
  it.each([
    { name: "a new digest from the watcher after the pin", facts: base, state: "candidate" },
    { name: "from a push event", facts: { ...base, seenVia: ["push_event"] }, state: "candidate" },
    {
      name: "no pin at all",
      facts: { ...base, pinnedDigest: null, pinnedFirstSeenAt: null, everPinned: new Set<string>() },
      state: "candidate",
    },
    { name: "older than the pin", facts: { ...base, firstSeenAt: t(1) }, state: "seen" },
    { name: "only met on a running container", facts: { ...base, seenVia: ["running"] }, state: "seen" },
    { name: "the pin", facts: { ...base, digest: A }, state: "pinned" },
    {
      name: "pinned before",
      facts: { ...base, pinnedDigest: `sha256:${"c".repeat(64)}`, everPinned: new Set([A, B]) },
      state: "previous",
    },
    {
      name: "quarantine wins",
      facts: { ...base, quarantined: true, everPinned: new Set([A, B]) },
      state: "quarantined",
    },
  ])("$name → $state", ({ facts, state }) => {
    expect(digestState(facts)).toBe(state);
  });
});
