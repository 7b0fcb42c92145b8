// The digests a template must keep in its registry: the pin and every digest a chain of
// rollbacks would restore. Pure; replays the history as rollbackTargetFromHistory does.
import type { PinHistoryStep } from "@/lib/domain/rollback-target";

/**
 * Every digest successive rollbacks would restore from `currentDigest`, nearest first, without
 * duplicates or the current one; empty when the pin was written outside Fleetpin's history.
 */
export function rollbackChain(history: readonly PinHistoryStep[], currentDigest: string | null): string[] {
  if (currentDigest === null || history.length === 0) return [];
  if (history[history.length - 1]?.toDigest !== currentDigest) return [];
  const previous: (string | null)[] = [];
  for (const step of history) {
    if (step.action === "promote") previous.push(step.fromDigest);
    else if (step.action === "rollback") previous.pop();
    else previous.length = 0;
  }
  const chain: string[] = [];
  // A null in the stack is "was unpinned before": rolling back past it is impossible, so the chain stops there.
  for (let i = previous.length - 1; i >= 0; i--) {
    const digest = previous[i];
    if (digest === null || digest === undefined) break;
    if (digest !== currentDigest && !chain.includes(digest)) chain.push(digest);
  }
  return chain;
}

/** The pin first, then its rollback chain. */
export function retainedDigests(history: readonly PinHistoryStep[], currentDigest: string | null): string[] {
  if (currentDigest === null) return [];
  return [currentDigest, ...rollbackChain(history, currentDigest)];
}
