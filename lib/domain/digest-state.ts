// A ledger digest's state, from facts only (no I/O), so the page and the API say the same thing.

/** How Fleetpin met a digest. */
export const DIGEST_SOURCES = ["watcher", "push_event", "promote", "running"] as const;
export type DigestSource = (typeof DIGEST_SOURCES)[number];

export const DIGEST_STATES = ["candidate", "pinned", "previous", "quarantined", "seen"] as const;
export type DigestState = (typeof DIGEST_STATES)[number];

/** What the rule reads about one digest and its template. */
export type DigestStateFacts = {
  digest: string;
  quarantined: boolean;
  firstSeenAt: Date;
  seenVia: readonly string[];
  pinnedDigest: string | null;
  /** When the pinned digest was first seen; null when unpinned or not in the ledger. */
  pinnedFirstSeenAt: Date | null;
  everPinned: ReadonlySet<string>;
};

/**
 * quarantined (rolled back from, not lifted) > pinned (the pin now) > previous (pinned before) >
 * candidate (a tag brought it in, after the pin was first seen: a release waiting for a promote) > seen.
 */
export function digestState(facts: DigestStateFacts): DigestState {
  if (facts.quarantined) return "quarantined";
  if (facts.digest === facts.pinnedDigest) return "pinned";
  if (facts.everPinned.has(facts.digest)) return "previous";
  const fromTag = facts.seenVia.includes("watcher") || facts.seenVia.includes("push_event");
  const newer = facts.pinnedFirstSeenAt === null || facts.firstSeenAt.getTime() >= facts.pinnedFirstSeenAt.getTime();
  return fromTag && newer ? "candidate" : "seen";
}
