import { FleetpinError } from "@/lib/domain/errors";

import { parseRegistryErrors } from "./http";

/**
 * Typed failures of the registry HTTP client (registry-client.ts). Every message names the
 * registry and, when there is one, the repository and reference, and never carries credentials
 * or tokens, so it can be shown to an operator as is.
 */

/** What a registry call was about: `registry` is the host as configured (e.g. `ghcr.io`). */
export interface RegistryTarget {
  registry: string;
  repository?: string | undefined;
  reference?: string | undefined;
}

/** Common base, so callers can `instanceof RegistryError` for "anything the registry said". */
export class RegistryError extends FleetpinError {
  readonly registry: string;
  readonly repository: string | undefined;
  readonly reference: string | undefined;

  constructor(message: string, code: string, target: RegistryTarget, options?: { cause?: unknown }) {
    super(message, code, options);
    this.registry = target.registry;
    this.repository = target.repository;
    this.reference = target.reference;
  }
}

/** Connection refused, DNS failure, TLS failure or timeout: the host never answered over HTTP. */
export class RegistryUnreachableError extends RegistryError {
  constructor(
    target: RegistryTarget,
    readonly host: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `registry ${target.registry} is unreachable: ${host}: ${reason}${about(target)}`,
      "registry_unreachable",
      target,
      options,
    );
  }
}

/** 401/403 after authenticating (or when the registry wants credentials and none are configured). */
export class RegistryAuthError extends RegistryError {
  constructor(
    target: RegistryTarget,
    readonly reason: string,
    readonly status?: number,
  ) {
    const http = status === undefined ? "" : ` (HTTP ${status})`;
    super(`registry ${target.registry} denied access${about(target)}${http}: ${reason}`, "registry_auth", target);
  }
}

/** The registry does not know the repository (NAME_UNKNOWN, or a 404 on its tags list). */
export class UnknownRepositoryError extends RegistryError {
  constructor(target: RegistryTarget & { repository: string }) {
    super(
      `repository "${target.repository}" not found on registry ${target.registry}`,
      "registry_unknown_repository",
      target,
    );
  }
}

/** The repository exists but the tag (or digest) does not (MANIFEST_UNKNOWN, or a 404 on a tag). */
export class UnknownManifestError extends RegistryError {
  constructor(target: RegistryTarget & { repository: string; reference: string }) {
    const what = target.reference.includes(":") ? `manifest ${target.reference}` : `tag "${target.reference}"`;
    super(`${what} not found in ${target.registry}/${target.repository}`, "registry_unknown_manifest", target);
  }
}

/** Any other unexpected answer; `status` is the HTTP status, `registryCode` the registry's `errors[0].code`. */
export class RegistryResponseError extends RegistryError {
  constructor(
    target: RegistryTarget,
    readonly status: number,
    readonly detail: string,
    readonly registryCode?: string,
    /** For a 429: how long the registry asked callers to wait, when it said. */
    readonly retryAfterMs?: number,
  ) {
    const code = registryCode ? ` ${registryCode}` : "";
    super(
      `registry ${target.registry} answered HTTP ${status}${code}${about(target)}: ${detail}`,
      "registry_error",
      target,
    );
  }
}

/** A failed HTTP answer as read off the wire; `body` may be "" (HEAD has none). */
export interface FailedResponse {
  status: number;
  statusText: string;
  body: string;
  retryAfterMs: number | undefined;
}

/**
 * The most specific typed error for a non-success answer, using the registry's JSON
 * `errors[].code` when there is one. `what` prefixes the detail (e.g. "token request to …").
 */
export function registryErrorFromResponse(
  response: FailedResponse,
  target: RegistryTarget,
  what?: string,
): RegistryError {
  const [first] = parseRegistryErrors(response.body.slice(0, 65_536));
  const { repository, reference } = target;
  if (first?.code === "NAME_UNKNOWN" && repository !== undefined) {
    return new UnknownRepositoryError({ ...target, repository });
  }
  if (first?.code === "MANIFEST_UNKNOWN" && repository !== undefined && reference !== undefined) {
    return new UnknownManifestError({ ...target, repository, reference });
  }
  let detail = (first?.message && safeText(first.message)) || response.statusText || "unexpected response";
  if (response.status === 429) {
    const wait = response.retryAfterMs;
    detail = `too many requests${wait === undefined ? "" : `; the registry asks to retry in ${Math.ceil(wait / 1000)} s`}`;
  }
  return new RegistryResponseError(
    target,
    response.status,
    what ? `${what}: ${detail}` : detail,
    first?.code,
    response.retryAfterMs,
  );
}

// Registry messages are shown to operators: one line, bounded length.
function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces.
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

function about(target: RegistryTarget): string {
  if (target.repository === undefined) return "";
  if (target.reference === undefined) return ` for ${target.repository}`;
  const separator = target.reference.includes(":") ? "@" : ":";
  return ` for ${target.repository}${separator}${target.reference}`;
}
