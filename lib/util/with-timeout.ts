/** Raised by withTimeout; the message says what did not answer and how long we waited. */
export class ProbeTimeoutError extends Error {
  constructor(
    what: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${what} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${(timeoutMs / 1000).toFixed(1)} s`}`,
    );
    this.name = "ProbeTimeoutError";
  }
}

/**
 * Resolves like `promise`, or rejects with ProbeTimeoutError after `timeoutMs`.
 * The underlying work is not cancelled (pings have no abort hook); its late
 * outcome is ignored, so a hung service can slow a banner but never a page.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(what, timeoutMs)), timeoutMs);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
