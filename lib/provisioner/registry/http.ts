import { type RegistryConfig, registryConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";
import { parseImageRef, tryParseImageRef } from "@/lib/domain/image-ref";

/**
 * Pure helpers of the registry HTTP client: header parsing, host/scheme/credential choice and
 * reference splitting. No I/O here, so all of it is unit-tested without a registry.
 */

/** One challenge of a `WWW-Authenticate` header; `scheme` is lowercase, param names too. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Username and password (or token) for a registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const HOST =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::[0-9]{1,5})?$/i;
// A string without "/" is a bare registry host only when Docker would read it as one were a
// path to follow: `localhost`, an IPv6 literal, or a dotted name, each with an optional port.
const BARE_HOST = /^(?:localhost|\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::[0-9]{1,5})?$/i;

/** Parses `WWW-Authenticate` (RFC 7235): several challenges, quoted or token values. */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  if (!header) return challenges;
  let i = 0;
  const skip = (chars: string) => {
    while (i < header.length && chars.includes(header[i]!)) i++;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = i;
    const match = TOKEN.exec(header);
    if (!match) return undefined;
    i += match[0].length;
    return match[0];
  };
  let afterScheme = false;
  while (i < header.length) {
    const start = i;
    skip(" \t,");
    const sawComma = header.slice(start, i).includes(",");
    const name = token();
    if (name === undefined) break;
    skip(" \t");
    const isParam = header[i] === "=" && !/^=*\s*(?:,|$)/.test(header.slice(i));
    if (isParam && challenges.length > 0) {
      i++;
      skip(" \t");
      challenges.at(-1)!.params[name.toLowerCase()] = header[i] === '"' ? quoted() : (token() ?? "");
      afterScheme = false;
    } else if (afterScheme && !sawComma) {
      skip("="); // a token68 credential ("abc==") carries nothing we use
      afterScheme = false;
    } else {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
      afterScheme = true;
    }
  }
  return challenges;

  function quoted(): string {
    let value = "";
    for (i++; i < header!.length && header![i] !== '"'; i++) {
      if (header![i] === "\\" && i + 1 < header!.length) i++;
      value += header![i];
    }
    i++;
    return value;
  }
}

/** `Retry-After` (delta seconds or HTTP date) as milliseconds from `nowMs`; undefined if absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // Date.parse("12.5") would read a bare number as a year
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The `rel="next"` target of a `Link` header, resolved against `baseUrl`. */
export function parseLinkNext(header: string | null | undefined, baseUrl: string): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? "")?.[1];
    if (rel?.split(/\s+/).includes("next")) return new URL(match[1]!, baseUrl).toString();
  }
  return undefined;
}

/** `errors[]` of a registry JSON error body; [] for anything else. */
export function parseRegistryErrors(body: string): { code: string; message: string }[] {
  try {
    const parsed: unknown = JSON.parse(body);
    const errors = (parsed as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors)) return [];
    return errors
      .filter((e): e is { code: string; message?: unknown } => typeof e?.code === "string")
      .map((e) => ({ code: e.code, message: typeof e.message === "string" ? e.message : "" }));
  } catch {
    return [];
  }
}

/** True for `host[:port]` (DNS name, IPv4 or bracketed IPv6), without scheme or path. */
export function isValidRegistryHost(host: string): boolean {
  return HOST.test(host);
}

/** The host name without port: `[::1]:5000` → `[::1]`, `127.0.0.1:5000` → `127.0.0.1`. */
export function hostName(host: string): string {
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:[0-9]*$/, "");
}

/** localhost, 127.0.0.0/8 or [::1], with any port. */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host).toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127(?:\.[0-9]{1,3}){3}$/.test(name);
}

/** `FLEETPIN_INSECURE_REGISTRIES` (comma-separated hosts, optional scheme/slash tolerated) as lowercase hosts. */
export { parseInsecureRegistries } from "@/lib/config";

/** Plain HTTP for loopback and listed hosts (an entry without port covers every port), HTTPS otherwise. */
export function registryScheme(host: string, insecureRegistries: readonly string[] = []): "http" | "https" {
  const lower = host.toLowerCase();
  if (isLoopbackHost(lower)) return "http";
  return insecureRegistries.some((entry) => entry === lower || entry === hostName(lower)) ? "http" : "https";
}

/** The host that serves the API: Docker Hub's `docker.io` is `registry-1.docker.io`. */
export function registryApiHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === "docker.io" || lower === "index.docker.io" ? "registry-1.docker.io" : lower;
}

/** Docker Hub's implicit `library/` for one-component names; other registries keep the name. */
export function registryRepository(host: string, repository: string): string {
  return registryApiHost(host) === "registry-1.docker.io" && !repository.includes("/")
    ? `library/${repository}`
    : repository;
}

/**
 * `{ host, repository }` of an image reference or a registry prefix, tag and digest dropped:
 * `127.0.0.1:5000/molecule-ai` → `127.0.0.1:5000` + `molecule-ai`; `nginx:1` → `docker.io` +
 * `library/nginx`; a bare host (`localhost:5000`, `ghcr.io`) → that host + `""`.
 * Throws InvalidImageReferenceError for anything else that does not parse.
 */
export function splitRegistryReference(ref: string): { host: string; repository: string } {
  const text = ref.trim().replace(/\/+$/, "");
  if (BARE_HOST.test(text)) return { host: canonicalHost(text), repository: "" };
  const parsed = parseImageRef(text);
  const host = canonicalHost(parsed.registry ?? "docker.io");
  return { host, repository: registryRepository(host, parsed.repository) };
}

/**
 * Credentials for `host` from the environment. FLEETPIN_REGISTRY_USERNAME/PASSWORD belong to the
 * MOLECULE_IMAGE_REGISTRY host only, so a reference naming another registry never receives them;
 * GHCR_USER/GHCR_TOKEN (the seed's variables) apply to ghcr.io when both are non-blank.
 */
export function registryCredentials(
  host: string,
  registry: RegistryConfig = registryConfig(),
): RegistryCredentials | undefined {
  const target = canonicalHost(host);
  // Half a pair is refused where the config is parsed (lib/config/registry.ts), never sent anonymous.
  if (registry.credentials && target === splitRegistryReference(registry.imagePrefix).host)
    return { ...registry.credentials };
  if (registry.ghcrCredentials && target === "ghcr.io") return { ...registry.ghcrCredentials };
  return undefined;
}

/** Throws ValidationError unless `repository` is a valid repository path (no host, tag or digest). */
export function validateRepositoryName(repository: string): void {
  // The one reference parser decides; a fixed dummy host keeps it from reading the first
  // path component as a registry.
  const parsed = typeof repository === "string" ? tryParseImageRef(`localhost/${repository}`) : null;
  if (parsed?.repository !== repository || parsed.tag !== undefined || parsed.digest !== undefined) {
    throw new ValidationError(`invalid repository name "${String(repository).slice(0, 200)}"`, {
      repository: ["must be lowercase path components like molecule-ai/workspace-template-hermes"],
    });
  }
}

/** Throws ValidationError unless `tag` is a valid tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
export function validateTagName(tag: string): void {
  if (typeof tag !== "string" || tryParseImageRef(`localhost/x:${tag}`)?.tag !== tag) {
    throw new ValidationError(`invalid tag "${String(tag).slice(0, 200)}"`, {
      tag: ["must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"],
    });
  }
}

function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === "index.docker.io" || lower === "registry-1.docker.io" ? "docker.io" : lower;
}
