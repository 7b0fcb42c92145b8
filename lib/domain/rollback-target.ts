/** One pin history entry, oldest first, as far as rollback cares. */
export type PinHistoryStep = {
  action: "promote" | "rollback" | "unpin";
  fromDigest: string | null;
  toDigest: string | null;
};

/**
 * The digest a Rollback would restore, given a template's whole history (oldest
 * first) and the digest pinned now; null when there is nothing to go back to.
 *
 * History is replayed as a stack of releases: a promote pushes the digest it
 * replaced, a rollback pops it, an unpin ends the line. So A→B→C→rollback lands
 * on B, and a second rollback lands on A, never back on the C just rolled away
 * from (which is what "the from_digest of the latest entry that led here" would
 * give after a rollback). For the first rollback after a promote both rules agree.
 */
export function rollbackTargetFromHistory(
  history: readonly PinHistoryStep[],
  currentDigest: string | null,
): string | null {
  if (currentDigest === null || history.length === 0) return null;
  const previous: (string | null)[] = [];
  for (const step of history) {
    if (step.action === "promote") previous.push(step.fromDigest);
    else if (step.action === "rollback") previous.pop();
    else previous.length = 0;
  }
  // A pin written outside Fleetpin (no history for it) must not be "rolled back"
  // to a digest from an unrelated line of releases.
  if (history[history.length - 1]?.toDigest !== currentDigest) return null;
  const target = previous[previous.length - 1] ?? null;
  return target === currentDigest ? null : target;
}
