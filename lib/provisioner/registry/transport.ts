import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { countRegistryRequest } from "@/lib/metrics/process-metrics";

import { RegistryUnreachableError, type RegistryTarget } from "./errors";
import { parseRetryAfter } from "./http";
import { classifyNetworkError } from "./network-errors";
import { discard } from "./response";

/** One HTTP request to a registry; `scope` is the token scope it needs, `target` what errors name. */
export type RegistryRequest = {
  method: "GET" | "HEAD";
  url: string;
  accept?: string;
  scope?: string;
  target: RegistryTarget;
};

/** How a RegistryTransport sends: `fetch`, per-attempt timeout, retries, and a hook seeing every request. */
export interface RegistryTransportOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  onRequest?: (info: { method: string; url: string; status?: number }) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRIES = 3;
// A Retry-After longer than this is reported, not waited for: an operator is looking at a spinner.
const MAX_RETRY_AFTER_MS = 10_000;
const RETRIABLE_STATUS = new Set([500, 502, 503, 504]);

/** Sends registry HTTP requests with bounded retries, and counts every request it makes. */
export class RegistryTransport {
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #onRequest: RegistryTransportOptions["onRequest"];
  #requests = 0;

  constructor(options: RegistryTransportOptions) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.#onRequest = options.onRequest;
  }

  /** HTTP requests made so far, retries included. */
  get requestCount(): number {
    return this.#requests;
  }

  /**
   * One HTTP exchange with bounded retries: 429 after Retry-After, 5xx and dropped connections
   * after a short backoff. Timeouts and DNS failures are not retried: they would only repeat.
   * Returns the last response, whatever its status.
   */
  async send(request: RegistryRequest, authorization: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    if (request.accept) headers.accept = request.accept;
    if (authorization) headers.authorization = authorization;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      this.#requests++;
      try {
        response = await this.#fetch(request.url, {
          method: request.method,
          headers,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        this.#onRequest?.({ method: request.method, url: request.url });
        countRegistryRequest(request.url, undefined);
        const failure = classifyNetworkError(error, this.#timeoutMs);
        if (!failure) throw error;
        if (failure.retriable && attempt < this.#maxRetries) {
          await sleep(100 * 2 ** attempt);
          continue;
        }
        throw new RegistryUnreachableError(request.target, new URL(request.url).host, failure.reason, { cause: error });
      }
      this.#onRequest?.({ method: request.method, url: request.url, status: response.status });
      countRegistryRequest(request.url, response.status);
      if (attempt < this.#maxRetries && (response.status === 429 || RETRIABLE_STATUS.has(response.status))) {
        const wait =
          response.status === 429
            ? (parseRetryAfter(response.headers.get("retry-after"), Date.now()) ?? 1000 * 2 ** attempt)
            : 100 * 2 ** attempt;
        if (wait <= MAX_RETRY_AFTER_MS) {
          await discard(response);
          await sleep(wait);
          continue;
        }
      }
      return response;
    }
  }
}
