/**
 * Where a workspace stands against its template's pin: "on_pin" (runs the pinned
 * digest), "stale" (runs another digest), "unknown" (pinned, but the running
 * digest was never recorded) or "unpinned" (its template follows :latest).
 */
export type Staleness = "on_pin" | "stale" | "unknown" | "unpinned";

/** Every Staleness value, in the order the pages list them. */
export const STALENESS_VALUES = ["on_pin", "stale", "unknown", "unpinned"] as const satisfies readonly Staleness[];

/** The Staleness of a workspace running `runningDigest` under a template pinned to `pinnedDigest`. */
export function staleness(pinnedDigest: string | null, runningDigest: string | null): Staleness {
  if (pinnedDigest === null) return "unpinned";
  if (runningDigest === null) return "unknown";
  return runningDigest === pinnedDigest ? "on_pin" : "stale";
}
