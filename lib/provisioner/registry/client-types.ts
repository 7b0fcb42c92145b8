import type { RegistryCredentials } from "./http";
import type { RegistryTransportOptions } from "./transport";

/** Options of `createRegistryClient`; `host` is `host[:port]` without scheme. */
export interface RegistryClientOptions extends RegistryTransportOptions {
  host: string;
  scheme?: "http" | "https";
  credentials?: RegistryCredentials;
}

/** A client bound to one registry host and one set of credentials. */
export interface RegistryClient {
  /** The host as configured (`docker.io`, `127.0.0.1:5000`), used in every error message. */
  readonly registry: string;
  /** HTTP requests made so far, token requests and retries included. */
  readonly requestCount: number;
  /** The manifest digest a tag points to now (`sha256:…`), as `docker pull` would record it. */
  resolveDigest(repository: string, tag: string): Promise<string>;
  /**
   * One HEAD of a manifest by tag or digest, nothing else (no fallback GET, no tag list on 404): null
   * when the registry answers 404; `digest` null when it sends no usable Docker-Content-Digest.
   */
  headManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string | null; mediaType: string | null } | null>;
  /** Whether the repository holds a manifest with this digest; false for 404 (repository or digest). */
  manifestExists(repository: string, digest: string): Promise<boolean>;
  /** Every tag of the repository in the registry's order, all pages followed. */
  listTags(repository: string): Promise<string[]>;
  /** `GET /v2/`: resolves when the registry is reachable and accepts our credentials. */
  ping(): Promise<void>;
  /** The manifest with this digest, parsed, after checking its bytes hash to the digest; UnknownManifestError on 404. */
  getManifest(repository: string, digest: string): Promise<{ json: unknown; contentType: string | null }>;
  /** A JSON blob (an image config) by digest, after checking its bytes hash to the digest. */
  getBlobJson(repository: string, digest: string): Promise<unknown>;
}
