import { FleetpinError } from "./errors";

/**
 * Docker image references (distribution/reference grammar), parsed without any implicit
 * normalization so `formatImageRef(parseImageRef(s)) === s` for every accepted `s`.
 *
 * The seed never parsed references: it cut strings at the last `:` / `/` (see moving-tags.ts,
 * resolve.ts). Fleetpin compares and rewrites references in the dashboard, so it needs a real
 * parser; the seed's string rules are kept where the seed's behaviour is what we port.
 */

/** A parsed image reference; absent parts are `undefined`, never `""`. */
export interface ImageRef {
  registry: string | undefined;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Input to `formatImageRef`: the same shape with optional keys. */
export interface ImageRefParts {
  registry?: string | undefined;
  repository: string;
  tag?: string | undefined;
  digest?: string | undefined;
}

/** Thrown for any string that is not a valid image reference; the message is safe to show. */
export class InvalidImageReferenceError extends FleetpinError {
  constructor(
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`invalid image reference ${quote(reference)}: ${reason}`, "invalid_image_reference");
  }
}

// distribution/reference caps the name (registry + "/" + repository), not tag or digest.
const NAME_MAX_LENGTH = 255;
// Written without nested ambiguous quantifiers: the grammar's literal form
// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*` backtracks exponentially in JS (Go's RE2 does not).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A Docker tag: a word character, then up to 127 word characters, dots and dashes. */
export const TAG_PATTERN = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// go-digest validates registered algorithms strictly (exact length, lowercase hex), so Docker
// rejects `sha256:abc`; unregistered algorithms only have to match the grammar.
const REGISTERED_DIGEST_HEX: ReadonlyMap<string, { length: number; pattern: RegExp }> = new Map(
  [64, 96, 128].map((length) => [`sha${length * 4}`, { length, pattern: new RegExp(`^[a-f0-9]{${length}}$`) }]),
);
const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;
/** `sha256:` and 64 lowercase hex digits: the only digest shape a pin accepts. */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** Parses `[registry/]repository[:tag][@digest]`; throws InvalidImageReferenceError. */
export function parseImageRef(ref: string): ImageRef {
  const fail = (reason: string): never => {
    throw new InvalidImageReferenceError(ref, reason);
  };
  if (typeof ref !== "string") return fail("reference must be a string");
  if (ref === "") return fail("reference is empty");

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const digestProblem = digestError(digest);
    if (digestProblem) fail(digestProblem);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  // A `:` before the last `/` belongs to a registry port, never to a tag.
  if (colon >= 0 && colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const tagProblem = tagError(tag);
    if (tagProblem) fail(tagProblem);
  }

  if (rest === "") return fail("repository name is empty");
  if (rest.length > NAME_MAX_LENGTH) {
    return fail(`name must not be longer than ${NAME_MAX_LENGTH} characters`);
  }

  let registry: string | undefined;
  let repository = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // The Docker rule (splitDockerDomain): only these mark the first component as a host.
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      repository = rest.slice(slash + 1);
      const hostProblem = registryError(registry);
      if (hostProblem) fail(hostProblem);
    }
  }

  const repositoryProblem = repositoryError(repository);
  if (repositoryProblem) fail(repositoryProblem);
  if (registry === undefined && tag === undefined && digest === undefined && IMAGE_ID.test(ref)) {
    fail("a 64-character hex string is an image ID, not a repository name");
  }
  return { registry, repository, tag, digest };
}

/** Like `parseImageRef`, but returns `null` instead of throwing. */
export function tryParseImageRef(ref: string): ImageRef | null {
  try {
    return parseImageRef(ref);
  } catch (error) {
    if (error instanceof InvalidImageReferenceError) return null;
    throw error;
  }
}

/** Exact inverse of `parseImageRef`; throws if the parts would not parse back to themselves. */
export function formatImageRef(parts: ImageRefParts): string {
  const { registry, repository, tag, digest } = parts;
  const ref =
    (registry !== undefined ? `${registry}/` : "") +
    repository +
    (tag !== undefined ? `:${tag}` : "") +
    (digest !== undefined ? `@${digest}` : "");
  // Checked part by part first: once joined, a bad part can be misread as another part.
  const partProblem =
    (registry?.includes("/") ? `registry ${quote(registry)} must not contain "/"` : undefined) ??
    (tag !== undefined ? tagError(tag) : undefined) ??
    (digest !== undefined ? digestError(digest) : undefined);
  if (partProblem) throw new InvalidImageReferenceError(ref, partProblem);
  const parsed = parseImageRef(ref);
  if (parsed.registry !== registry || parsed.repository !== repository) {
    throw new InvalidImageReferenceError(
      ref,
      registry === undefined
        ? `${quote(parsed.registry ?? "")} would be read as a registry host, not part of the repository`
        : `registry ${quote(registry)} would be read as part of the repository (a registry needs a ".", a ":" or to be "localhost")`,
    );
  }
  return ref;
}

/**
 * Normalized form for comparisons only: default registry `docker.io`, `index.docker.io` →
 * `docker.io`, lowercase host, `library/` for one-component Docker Hub names. Tags and digests
 * are kept as written (no implicit `:latest`).
 */
export function canonicalImageRef(ref: string): string {
  const parsed = parseImageRef(ref);
  let registry = (parsed.registry ?? "docker.io").toLowerCase();
  if (registry === "index.docker.io") registry = "docker.io";
  const repository =
    registry === "docker.io" && !parsed.repository.includes("/") ? `library/${parsed.repository}` : parsed.repository;
  return formatImageRef({ ...parsed, registry, repository });
}

/** True only for `sha256:` followed by exactly 64 lowercase hex digits (the pin table's CHECK). */
export function isValidDigest(digest: unknown): boolean {
  return typeof digest === "string" && DIGEST_PATTERN.test(digest);
}

/** `<registry/>repository@digest`: drops any tag and any existing digest, keeps a registry port. */
export function withDigest(ref: string, digest: string): string {
  const { registry, repository } = parseImageRef(ref);
  if (!isValidDigest(digest)) {
    throw new InvalidImageReferenceError(
      ref,
      `digest ${quote(digest)} must be "sha256:" followed by 64 lowercase hex characters`,
    );
  }
  return formatImageRef({ registry, repository, digest });
}

/** `sha256:` plus the first 12 hex digits, for display; other shapes come back unchanged (seed imagewatch). */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon >= 0 && digest.length >= colon + 13 ? digest.slice(0, colon + 13) : digest;
}

function tagError(tag: string): string | undefined {
  if (tag === "") return "tag is empty";
  return TAG_PATTERN.test(tag) ? undefined : `tag ${quote(tag)} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
}

function digestError(digest: string): string | undefined {
  if (digest === "") return "digest is empty";
  const colon = digest.indexOf(":");
  const algorithm = colon > 0 ? digest.slice(0, colon) : "";
  const registered = REGISTERED_DIGEST_HEX.get(algorithm);
  if (registered) {
    return registered.pattern.test(digest.slice(colon + 1))
      ? undefined
      : `digest ${quote(digest)} is not a valid ${algorithm} digest (expected ${registered.length} lowercase hex characters)`;
  }
  return DIGEST.test(digest) ? undefined : `digest ${quote(digest)} must be <algorithm>:<hex>`;
}

function registryError(registry: string): string | undefined {
  let host = registry;
  const colon = registry.startsWith("[") ? registry.indexOf("]:") + 1 : registry.indexOf(":");
  if (colon > 0) {
    host = registry.slice(0, colon);
    if (!PORT.test(registry.slice(colon + 1))) {
      return `registry port in ${quote(registry)} must be numeric`;
    }
  }
  const validHost = host.startsWith("[")
    ? IPV6_HOST.test(host)
    : host.split(".").every((part) => DOMAIN_COMPONENT.test(part));
  return validHost ? undefined : `invalid registry host ${quote(registry)}`;
}

function repositoryError(repository: string): string | undefined {
  for (const component of repository.split("/")) {
    if (component === "") return "repository has an empty path component";
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) return "repository must be lowercase";
    return `invalid repository path component ${quote(component)}`;
  }
  return undefined;
}

// Long junk (e.g. pasted logs) must not turn into a multi-kilobyte error message.
function quote(value: string): string {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
