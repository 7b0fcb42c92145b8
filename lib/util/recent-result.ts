/**
 * Shares one run of `work` between every caller within `ttlMs` of it settling (and while it is
 * in flight). For the page banners' health probes: each render pinging every Docker host, the
 * registry and the database cost more than the rest of a page's data together, while an answer
 * a few seconds old says the same thing. A failed run (a rejection) is never kept: the next call
 * tries again.
 */
export function recentResult<T>(work: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let current: { result: Promise<T>; settledAt: number | null } | null = null;
  return () => {
    if (current && (current.settledAt === null || now() - current.settledAt < ttlMs)) return current.result;
    const entry: { result: Promise<T>; settledAt: number | null } = { result: work(), settledAt: null };
    current = entry;
    entry.result.then(
      () => {
        entry.settledAt = now();
      },
      () => {
        if (current === entry) current = null;
      },
    );
    return entry.result;
  };
}
