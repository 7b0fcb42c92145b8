import "server-only";

import { ValidationError } from "@/lib/domain/errors";
import { isValidDigest } from "@/lib/domain/image-ref";

import { RegistryAuth } from "./auth";
import type { RegistryClient, RegistryClientOptions } from "./client-types";
import { parseVerified, requireDigest } from "./content";
import { RegistryResponseError, UnknownManifestError, UnknownRepositoryError, type RegistryTarget } from "./errors";
import {
  isValidRegistryHost,
  parseLinkNext,
  registryApiHost,
  registryRepository,
  registryScheme,
  validateRepositoryName,
  validateTagName,
} from "./http";
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES } from "./manifest";
import { digestOfManifestResponse } from "./manifest-digest";
import { discard, readBytes, readJson, responseError } from "./response";
import { RegistryTransport } from "./transport";
import { pullScope, unknownTag } from "./unknown-tag";

export type { RegistryClient, RegistryClientOptions } from "./client-types";

/**
 * The one registry HTTP client (Docker Registry HTTP API v2 / OCI distribution): tag → digest,
 * digest existence, tag listing, with anonymous, basic and bearer-token auth (auth.ts),
 * bounded retries (transport.ts) and typed errors (errors.ts).
 */

const MAX_TAG_PAGES = 1000;

/** A client for one registry; see RegistryClientOptions. Throws ValidationError for a malformed host. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new HttpRegistryClient(options);
}

class HttpRegistryClient implements RegistryClient {
  readonly registry: string;
  readonly #base: string;
  readonly #transport: RegistryTransport;
  readonly #auth: RegistryAuth;

  constructor(options: RegistryClientOptions) {
    const host = options.host.trim().toLowerCase();
    if (!isValidRegistryHost(host)) {
      throw new ValidationError(`invalid registry host "${options.host}": expected host[:port] without scheme or path`);
    }
    this.registry = host;
    this.#base = `${options.scheme ?? registryScheme(host)}://${registryApiHost(host)}`;
    this.#transport = new RegistryTransport(options);
    this.#auth = new RegistryAuth(this.#transport, options.credentials);
  }

  get requestCount(): number {
    return this.#transport.requestCount;
  }

  async resolveDigest(repository: string, tag: string): Promise<string> {
    const repo = this.#repository(repository);
    validateTagName(tag);
    const { response: head, target, url } = await this.#headManifestOf(repo, tag);
    if (head.status === 200) {
      const digest = head.headers.get("docker-content-digest");
      if (isValidDigest(digest)) return digest!;
    } else if (head.status === 404) {
      throw await unknownTag(this.#auth, this.#base, this.registry, repo, tag);
    } else if (head.status !== 405) {
      throw await responseError(head, target);
    }
    // No usable Docker-Content-Digest (or no HEAD support): the digest is the sha256 of the exact bytes.
    return this.#digestOfBody(url, target);
  }

  async headManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string | null; mediaType: string | null } | null> {
    const repo = this.#repository(repository);
    if (reference.startsWith("sha256:")) requireDigest(reference);
    else validateTagName(reference);
    const { response, target } = await this.#headManifestOf(repo, reference);
    if (response.status === 404) {
      await discard(response);
      return null;
    }
    if (response.status !== 200) throw await responseError(response, target);
    await discard(response);
    const digest = response.headers.get("docker-content-digest");
    return { digest: isValidDigest(digest) ? digest : null, mediaType: response.headers.get("content-type") };
  }

  async manifestExists(repository: string, digest: string): Promise<boolean> {
    const repo = this.#repository(repository);
    requireDigest(digest);
    const { response, target } = await this.#headManifestOf(repo, digest);
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
      const response = await this.#auth.send({
        method: "GET",
        url,
        accept: "application/json",
        scope: pullScope(repo),
        target,
      });
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
    const response = await this.#auth.send({ method: "GET", url: `${this.#base}/v2/`, target });
    if (response.status === 200) return discard(response);
    if (response.status === 404) {
      await discard(response);
      throw new RegistryResponseError(target, 404, "GET /v2/ not found: this host does not serve the registry API v2");
    }
    throw await responseError(response, target);
  }

  async getManifest(repository: string, digest: string): Promise<{ json: unknown; contentType: string | null }> {
    return this.#readByDigest(repository, digest, "manifests", MANIFEST_ACCEPT);
  }

  async getBlobJson(repository: string, digest: string): Promise<unknown> {
    return (await this.#readByDigest(repository, digest, "blobs", "application/json, */*")).json;
  }

  async #readByDigest(
    repository: string,
    digest: string,
    kind: "manifests" | "blobs",
    accept: string,
  ): Promise<{ json: unknown; contentType: string | null }> {
    const repo = this.#repository(repository);
    requireDigest(digest);
    const target = { registry: this.registry, repository: repo, reference: digest };
    const url = `${this.#base}/v2/${repo}/${kind}/${digest}`;
    const response = await this.#auth.send({ method: "GET", url, accept, scope: pullScope(repo), target });
    if (response.status === 404) {
      await discard(response);
      throw new UnknownManifestError(target);
    }
    if (response.status !== 200) throw await responseError(response, target);
    const contentType = response.headers.get("content-type");
    return { json: parseVerified(await readBytes(response, target, MAX_MANIFEST_BYTES), digest, target), contentType };
  }

  /** HEAD /v2/<repo>/manifests/<reference> (already validated), with the target its errors name. */
  async #headManifestOf(repo: string, reference: string) {
    const target = { registry: this.registry, repository: repo, reference };
    const url = `${this.#base}/v2/${repo}/manifests/${reference}`;
    const response = await this.#auth.send({
      method: "HEAD",
      url,
      accept: MANIFEST_ACCEPT,
      scope: pullScope(repo),
      target,
    });
    return { response, target, url };
  }

  #repository(repository: string): string {
    validateRepositoryName(repository);
    return registryRepository(this.registry, repository);
  }

  async #digestOfBody(url: string, target: RegistryTarget): Promise<string> {
    const response = await this.#auth.send({
      method: "GET",
      url,
      accept: MANIFEST_ACCEPT,
      scope: pullScope(target.repository!),
      target,
    });
    if (response.status === 404) {
      await discard(response);
      throw await unknownTag(this.#auth, this.#base, this.registry, target.repository!, target.reference!);
    }
    if (response.status !== 200) throw await responseError(response, target);
    return digestOfManifestResponse(response, target);
  }
}
