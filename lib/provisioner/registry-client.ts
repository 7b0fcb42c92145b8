import "server-only";

import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { ValidationError } from "@/lib/errors";
import { isValidDigest } from "@/lib/provisioner/image-ref";
import type { EnvSource } from "@/lib/provisioner/registry";
import {
  RegistryAuthError,
  RegistryError,
  registryErrorFromResponse,
  RegistryResponseError,
  RegistryUnreachableError,
  UnknownManifestError,
  UnknownRepositoryError,
  type RegistryTarget,
} from "@/lib/provisioner/registry-errors";
import {
  classifyNetworkError,
  isValidRegistryHost,
  parseInsecureRegistries,
  parseLinkNext,
  parseRetryAfter,
  parseWwwAuthenticate,
  registryApiHost,
  registryCredentials,
  registryRepository,
  registryScheme,
  splitRegistryReference,
  validateRepositoryName,
  validateTagName,
  type RegistryCredentials,
} from "@/lib/provisioner/registry-http";

export { splitRegistryReference, type RegistryCredentials };

/**
 * The one registry HTTP client (Docker Registry HTTP API v2 / OCI distribution): tag → digest,
 * digest existence, tag listing, with anonymous, basic and bearer-token auth, bounded retries
 * and typed errors (registry-errors.ts).
 */

/** All four manifest types: without them a registry may answer schema1, whose digest differs. */
export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

/** Options of `createRegistryClient`; `host` is `host[:port]` without scheme. */
export interface RegistryClientOptions {
  host: string;
  scheme?: "http" | "https";
  credentials?: RegistryCredentials;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  onRequest?: (info: { method: string; url: string; status?: number }) => void;
}

/** A client bound to one registry host and one set of credentials. */
export interface RegistryClient {
  /** The host as configured (`docker.io`, `127.0.0.1:5000`), used in every error message. */
  readonly registry: string;
  /** HTTP requests made so far, token requests and retries included. */
  readonly requestCount: number;
  /** The manifest digest a tag points to now (`sha256:…`), as `docker pull` would record it. */
  resolveDigest(repository: string, tag: string): Promise<string>;
  /** Whether the repository holds a manifest with this digest; false for 404 (repository or digest). */
  manifestExists(repository: string, digest: string): Promise<boolean>;
  /** Every tag of the repository in the registry's order, all pages followed. */
  listTags(repository: string): Promise<string[]>;
  /** `GET /v2/`: resolves when the registry is reachable and accepts our credentials. */
  ping(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRIES = 3;
// A Retry-After longer than this is reported, not waited for: an operator is looking at a spinner.
const MAX_RETRY_AFTER_MS = 10_000;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024; // distribution's own manifest size limit
const MAX_TAG_PAGES = 1000;
const RETRIABLE_STATUS = new Set([500, 502, 503, 504]);
const SCHEMA1 = /application\/vnd\.docker\.distribution\.manifest\.v1\+(?:prettyjws|json)/;

type Request = { method: "GET" | "HEAD"; url: string; accept?: string; scope?: string; target: RegistryTarget };
type Bearer = { realm: string; service: string | undefined };
type CachedToken = { token: string; expiresAt: number };

/** A client for one registry; see RegistryClientOptions. Throws ValidationError for a malformed host. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new HttpRegistryClient(options);
}

const memo = new Map<string, RegistryClient>();

/**
 * The shared client for the registry named by an image reference or registry prefix
 * (`127.0.0.1:5000/molecule-ai` → `127.0.0.1:5000`): plain HTTP for loopback and
 * FLEETPIN_INSECURE_REGISTRIES, credentials from the env (registryCredentials), one instance per
 * host + credentials so every caller shares its token cache.
 */
export function registryClientForReference(imageRefOrPrefix: string, env: EnvSource = process.env): RegistryClient {
  const { host } = splitRegistryReference(imageRefOrPrefix);
  const scheme = registryScheme(host, parseInsecureRegistries(env.FLEETPIN_INSECURE_REGISTRIES));
  const credentials = registryCredentials(host, env);
  const secret = credentials ? createHash("sha256").update(credentials.password).digest("hex") : "";
  const key = [scheme, host, credentials?.username ?? "", secret].join("\0");
  let client = memo.get(key);
  if (!client) {
    client = createRegistryClient({ host, scheme, ...(credentials ? { credentials } : {}) });
    memo.set(key, client);
  }
  return client;
}

class HttpRegistryClient implements RegistryClient {
  readonly registry: string;
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #credentials: RegistryCredentials | undefined;
  readonly #onRequest: RegistryClientOptions["onRequest"];
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pendingTokens = new Map<string, Promise<string>>();
  #requests = 0;
  #basic = false; // the host answered with a Basic challenge: send credentials up front
  #bearer: Bearer | undefined; // the host's token realm, once seen

  constructor(options: RegistryClientOptions) {
    const host = options.host.trim().toLowerCase();
    if (!isValidRegistryHost(host)) {
      throw new ValidationError(`invalid registry host "${options.host}": expected host[:port] without scheme or path`);
    }
    this.registry = host;
    this.#base = `${options.scheme ?? registryScheme(host)}://${registryApiHost(host)}`;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.#credentials = options.credentials;
    this.#onRequest = options.onRequest;
  }

  get requestCount(): number {
    return this.#requests;
  }

  async resolveDigest(repository: string, tag: string): Promise<string> {
    const repo = this.#repository(repository);
    validateTagName(tag);
    const target = { registry: this.registry, repository: repo, reference: tag };
    const url = `${this.#base}/v2/${repo}/manifests/${tag}`;
    const head = await this.#request({ method: "HEAD", url, accept: MANIFEST_ACCEPT, scope: pullScope(repo), target });
    if (head.status === 200) {
      const digest = head.headers.get("docker-content-digest");
      if (isValidDigest(digest)) return digest!;
    } else if (head.status === 404) {
      throw await this.#unknownTag(repo, tag);
    } else if (head.status !== 405) {
      throw await responseError(head, target);
    }
    // No usable Docker-Content-Digest (or no HEAD support): the digest is the sha256 of the exact bytes.
    return this.#digestOfBody(url, target);
  }

  async manifestExists(repository: string, digest: string): Promise<boolean> {
    const repo = this.#repository(repository);
    if (!isValidDigest(digest)) {
      throw new ValidationError(`invalid digest "${String(digest).slice(0, 100)}": expected "sha256:" and 64 lowercase hex characters`, {
        digest: ["must be sha256: followed by 64 lowercase hex characters"],
      });
    }
    const target = { registry: this.registry, repository: repo, reference: digest };
    const url = `${this.#base}/v2/${repo}/manifests/${digest}`;
    const response = await this.#request({ method: "HEAD", url, accept: MANIFEST_ACCEPT, scope: pullScope(repo), target });
    await discard(response);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await responseError(response, target);
  }

  async listTags(repository: string): Promise<string[]> {
    const repo = this.#repository(repository);
    const target = { registry: this.registry, repository: repo };
    const tags = new Set<string>();
    const visited = new Set<string>();
    let url: string | undefined = `${this.#base}/v2/${repo}/tags/list`;
    while (url !== undefined) {
      if (visited.size >= MAX_TAG_PAGES || visited.has(url)) {
        throw new RegistryResponseError(target, 200, `the tag list did not end after ${visited.size} pages`);
      }
      visited.add(url);
      const response = await this.#request({ method: "GET", url, accept: "application/json", scope: pullScope(repo), target });
      if (response.status === 404) {
        await discard(response);
        throw new UnknownRepositoryError(target);
      }
      if (response.status !== 200) throw await responseError(response, target);
      const body = (await readJson(response, target)) as { tags?: unknown } | null;
      const page = body?.tags ?? [];
      if (!Array.isArray(page) || !page.every((tag) => typeof tag === "string")) {
        throw new RegistryResponseError(target, 200, "the tag list is not a list of strings");
      }
      for (const tag of page) tags.add(tag);
      url = parseLinkNext(response.headers.get("link"), url);
      if (url !== undefined && new URL(url).origin !== new URL(this.#base).origin) {
        throw new RegistryResponseError(target, 200, "the tag list's next page points to another host");
      }
    }
    return [...tags];
  }

  async ping(): Promise<void> {
    const target = { registry: this.registry };
    const response = await this.#request({ method: "GET", url: `${this.#base}/v2/`, target });
    if (response.status === 200) return discard(response);
    if (response.status === 404) {
      await discard(response);
      throw new RegistryResponseError(target, 404, "GET /v2/ not found: this host does not serve the registry API v2");
    }
    throw await responseError(response, target);
  }

  #repository(repository: string): string {
    validateRepositoryName(repository);
    return registryRepository(this.registry, repository);
  }

  async #digestOfBody(url: string, target: RegistryTarget): Promise<string> {
    const response = await this.#request({ method: "GET", url, accept: MANIFEST_ACCEPT, scope: pullScope(target.repository!), target });
    if (response.status === 404) {
      await discard(response);
      throw await this.#unknownTag(target.repository!, target.reference!);
    }
    if (response.status !== 200) throw await responseError(response, target);
    if (SCHEMA1.test(response.headers.get("content-type") ?? "")) {
      await discard(response);
      throw new RegistryResponseError(target, 200, "the registry only offers a schema1 manifest, which cannot be pinned by digest");
    }
    const bytes = await readBytes(response, target, MAX_MANIFEST_BYTES);
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const claimed = response.headers.get("docker-content-digest");
    if (isValidDigest(claimed) && claimed !== digest) {
      throw new RegistryResponseError(target, 200, `Docker-Content-Digest ${claimed} does not match the manifest bytes (${digest})`);
    }
    return digest;
  }

  // HEAD has no body, and distribution answers MANIFEST_UNKNOWN for a tag of an unknown
  // repository too; only the tag list tells the two apart (NAME_UNKNOWN).
  async #unknownTag(repository: string, tag: string): Promise<RegistryError> {
    const target = { registry: this.registry, repository, reference: tag };
    try {
      const url = `${this.#base}/v2/${repository}/tags/list`;
      const response = await this.#request({ method: "GET", url, accept: "application/json", scope: pullScope(repository), target });
      await discard(response);
      if (response.status === 404) return new UnknownRepositoryError(target);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
    }
    return new UnknownManifestError(target);
  }

  // Sends with the auth the host is known to want; on a 401 answers its challenge and retries once.
  async #request(request: Request): Promise<Response> {
    let authorization = await this.#knownAuthorization(request);
    for (let challenged = false; ; challenged = true) {
      const response = await this.#send(request, authorization);
      if (response.status === 401 && !challenged) {
        await discard(response);
        authorization = await this.#answerChallenge(response.headers.get("www-authenticate"), request);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await discard(response);
        const reason = !this.#credentials
          ? "anonymous access is not allowed; configure registry credentials"
          : response.status === 401
            ? "the configured credentials were rejected"
            : "the configured credentials do not grant pull access";
        throw new RegistryAuthError(request.target, reason, response.status);
      }
      return response;
    }
  }

  async #knownAuthorization(request: Request): Promise<string | undefined> {
    if (this.#basic) return this.#basicHeader();
    if (this.#bearer) return `Bearer ${await this.#token(this.#bearer, request.scope ?? "", false, request.target)}`;
    return undefined;
  }

  async #answerChallenge(header: string | null, request: Request): Promise<string> {
    const challenges = parseWwwAuthenticate(header);
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    if (bearer) {
      this.#bearer = { realm: bearer.params.realm!, service: bearer.params.service };
      const scope = bearer.params.scope ?? request.scope ?? "";
      return `Bearer ${await this.#token(this.#bearer, scope, true, request.target)}`;
    }
    if (challenges.some((c) => c.scheme === "basic")) {
      if (!this.#credentials) {
        throw new RegistryAuthError(request.target, "the registry requires credentials and none are configured", 401);
      }
      this.#basic = true;
      return this.#basicHeader();
    }
    const what = challenges[0] ? `an unsupported "${challenges[0].scheme}" challenge` : "no WWW-Authenticate challenge";
    throw new RegistryAuthError(request.target, `the registry answered 401 with ${what}`, 401);
  }

  #basicHeader(): string {
    const { username, password } = this.#credentials!;
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  // One token per realm + service + scope, shared by concurrent callers, kept until shortly
  // before `expires_in` runs out.
  async #token(bearer: Bearer, scope: string, fresh: boolean, target: RegistryTarget): Promise<string> {
    const key = `${bearer.realm} ${bearer.service ?? ""} ${scope}`;
    const cached = this.#tokens.get(key);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
    let pending = this.#pendingTokens.get(key);
    if (!pending) {
      pending = this.#fetchToken(key, bearer, scope, target).finally(() => this.#pendingTokens.delete(key));
      this.#pendingTokens.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(key: string, bearer: Bearer, scope: string, target: RegistryTarget): Promise<string> {
    let url: URL;
    try {
      url = new URL(bearer.realm);
    } catch {
      url = new URL("invalid:");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new RegistryResponseError(target, 401, `the token realm "${bearer.realm.slice(0, 200)}" is not an http(s) URL`);
    }
    if (bearer.service) url.searchParams.set("service", bearer.service);
    for (const item of scope.split(" ").filter(Boolean)) url.searchParams.append("scope", item);
    if (this.#credentials) url.searchParams.set("account", this.#credentials.username);
    const tokenRequest: Request = { method: "GET", url: url.toString(), accept: "application/json", target };
    const response = await this.#send(tokenRequest, this.#credentials ? this.#basicHeader() : undefined);
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      const reason = this.#credentials
        ? `the token server ${url.host} rejected the configured credentials`
        : `the token server ${url.host} refused an anonymous token; configure registry credentials`;
      throw new RegistryAuthError(target, reason, response.status);
    }
    if (response.status !== 200) throw await responseError(response, target, `token request to ${url.host}`);
    const body = (await readJson(response, target)) as { token?: unknown; access_token?: unknown; expires_in?: unknown } | null;
    const token = typeof body?.token === "string" && body.token ? body.token : body?.access_token;
    if (typeof token !== "string" || token === "") {
      throw new RegistryResponseError(target, 200, `the token server ${url.host} returned no token`);
    }
    const lifetime = typeof body?.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 60;
    const margin = Math.min(10, lifetime * 0.2);
    this.#tokens.set(key, { token, expiresAt: Date.now() + (lifetime - margin) * 1000 });
    return token;
  }

  // One HTTP exchange with bounded retries: 429 after Retry-After, 5xx and dropped connections
  // after a short backoff. Timeouts and DNS failures are not retried: they would only repeat.
  async #send(request: Request, authorization: string | undefined): Promise<Response> {
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
        const failure = classifyNetworkError(error, this.#timeoutMs);
        if (!failure) throw error;
        if (failure.retriable && attempt < this.#maxRetries) {
          await sleep(100 * 2 ** attempt);
          continue;
        }
        throw new RegistryUnreachableError(request.target, new URL(request.url).host, failure.reason, { cause: error });
      }
      this.#onRequest?.({ method: request.method, url: request.url, status: response.status });
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

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

async function readBytes(response: Response, target: RegistryTarget, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await discard(response);
    throw new RegistryResponseError(target, response.status, `the response is larger than ${limit} bytes`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > limit) throw new RegistryResponseError(target, response.status, `the response is larger than ${limit} bytes`);
  return bytes;
}

async function readJson(response: Response, target: RegistryTarget): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(response, target, MAX_MANIFEST_BYTES));
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryResponseError(target, response.status, "the response is not valid JSON");
  }
}

async function responseError(response: Response, target: RegistryTarget, what?: string): Promise<RegistryError> {
  const body = response.body ? await response.text().catch(() => "") : "";
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  return registryErrorFromResponse({ status: response.status, statusText: response.statusText, body, retryAfterMs }, target, what);
}
