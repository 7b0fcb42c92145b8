// Plain-words lines the operation pages show, kept free of I/O and React so they are table-tested.

/** What an item did, in one line: its error (if any), then where it left the workspace. */
export function itemResultText(item: { error: string | null; outcome: string | null }): string {
  const parts = [item.error, item.outcome].filter((part): part is string => Boolean(part && part.trim()));
  return parts.join(" — ");
}

/** One failed item: its error and where the workspace stands; never empty. */
export function failureText(item: { error: string | null; outcome: string | null }): string {
  return itemResultText({
    error: item.error ?? "failed without an error message",
    outcome: item.outcome ?? "state unknown, check the workspace",
  });
}

/**
 * The record of a cancel: who and when, and what it did. Null when nobody asked to cancel.
 * `at` is already formatted (the caller picks relative or absolute time).
 */
export function cancelNote(progress: {
  cancelRequested: boolean;
  cancelledBy: string | null;
  at: string | null;
  status: string;
  cancelled: number;
}): string | null {
  if (!progress.cancelRequested) return null;
  const who = progress.cancelledBy ?? "an operator";
  const base = progress.at ? `Cancel requested by ${who} at ${progress.at}` : `Cancel requested by ${who}`;
  if (progress.status === "queued" || progress.status === "running") return `${base}; running items finish first.`;
  // Closed as cancelled without cancelled items: a restart interrupted it (its error says so).
  if (progress.cancelled === 0 && progress.status === "cancelled") return `${base}.`;
  if (progress.cancelled === 0) return `${base}; nothing was left to cancel (every item had already started).`;
  return `${base}; ${progress.cancelled} item${progress.cancelled === 1 ? " was" : "s were"} not started.`;
}
