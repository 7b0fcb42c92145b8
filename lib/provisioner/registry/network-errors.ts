// What a rejected fetch to a registry means, for the transport's retry decision and the operator's message.

const RETRIABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EAI_AGAIN", "UND_ERR_SOCKET"]);
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed unexpectedly",
};

/**
 * What a rejected `fetch` means: `undefined` when it is not a network failure (a bug, rethrow
 * it); otherwise an operator-readable reason and whether trying again can help. Timeouts and
 * DNS failures are final: repeating them only makes the operator wait longer.
 */
export function classifyNetworkError(
  error: unknown,
  timeoutMs: number,
): { reason: string; retriable: boolean } | undefined {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { reason: `no answer within ${timeoutMs} ms`, retriable: false };
  }
  // Undici wraps the socket error as TypeError("fetch failed", { cause }), sometimes inside an
  // AggregateError (one error per address tried).
  const fetchFailed = error instanceof TypeError && (error.message === "fetch failed" || hasCode(error.cause));
  if (!fetchFailed && !hasCode(error)) return undefined;
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause; depth++) {
    if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0];
    if (hasCode(cause)) {
      const { code } = cause;
      const reason =
        NETWORK_REASONS[code] ??
        (/CERT|SSL|TLS|EPROTO/.test(code)
          ? `TLS failure (${code}); a plain-HTTP registry must be listed in FLEETPIN_INSECURE_REGISTRIES`
          : code);
      return { reason, retriable: RETRIABLE_CODES.has(code) };
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return { reason: error instanceof Error ? error.message.slice(0, 200) : "network error", retriable: true };
}

function hasCode(value: unknown): value is { code: string } {
  return typeof (value as { code?: unknown } | null)?.code === "string";
}
