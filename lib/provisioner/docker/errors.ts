/**
 * Classifiers for Docker daemon errors (seed provisioner.go). The daemon exposes no typed
 * sentinels for these cases, so the seed, like the Docker CLI, matches message text; the
 * substrings and their case sensitivity are ported exactly.
 *
 * Every classifier takes `unknown`: an Error (dockerode's carry `statusCode`), a string, or any
 * object with `message` / `statusCode`. Go's `err.Error()` includes every `%w`-wrapped cause,
 * whereas a JS message does not, so the `cause` chain is read as well.
 */

interface ErrorFacts {
  message: string;
  statusCodes: number[];
}

const MAX_CAUSE_DEPTH = 8;

function factsOf(err: unknown): ErrorFacts {
  const messages: string[] = [];
  const statusCodes: number[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current != null && !seen.has(current) && seen.size < MAX_CAUSE_DEPTH) {
    seen.add(current);
    if (typeof current === "string") {
      messages.push(current);
      break;
    }
    if (typeof current !== "object") break;
    const { message, statusCode, cause } = current as { message?: unknown; statusCode?: unknown; cause?: unknown };
    if (typeof message === "string") messages.push(message);
    if (typeof statusCode === "number") statusCodes.push(statusCode);
    current = cause;
  }
  return { message: messages.join(": "), statusCodes };
}

/** The container does not exist: message contains `No such container` or `not found` (case-sensitive). */
export function isContainerNotFound(err: unknown): boolean {
  const { message } = factsOf(err);
  return message.includes("No such container") || message.includes("not found");
}

/** A concurrent removal of the same container is running; both substrings are required. */
export function isRemovalInProgress(err: unknown): boolean {
  const { message } = factsOf(err);
  return message.includes("removal of container") && message.includes("already in progress");
}

/** The image is not available locally: `no such image`, or `not found` together with `image` (case-insensitive). */
export function isImageNotFoundErr(err: unknown): boolean {
  const message = factsOf(err).message.toLowerCase();
  return message.includes("no such image") || (message.includes("not found") && message.includes("image"));
}

/**
 * Stopping was a no-op because the container is not running: dockerode status 304, or the
 * daemon's "container already stopped" / "is not running" text. Not in the seed (it always
 * force-removed); Fleetpin stops containers and must treat this as success.
 */
export function isAlreadyStopped(err: unknown): boolean {
  const { message, statusCodes } = factsOf(err);
  const lower = message.toLowerCase();
  return statusCodes.includes(304) || lower.includes("container already stopped") || lower.includes("is not running");
}

/**
 * Runtime name for "image not found" hints: legacy `workspace-template:<rt>`, registry
 * `…/workspace-template-<rt>:<tag>`, else the text after the last `:`, else the whole string.
 * Seed quirk kept: a digest ref `…workspace-template-x@sha256:…` yields `x@sha256`.
 */
export function runtimeTagFromImage(image: string): string {
  const legacyPrefix = "workspace-template:";
  if (image.startsWith(legacyPrefix)) return image.slice(legacyPrefix.length);
  const infix = "workspace-template-";
  const at = image.indexOf(infix);
  if (at >= 0) {
    const rest = image.slice(at + infix.length);
    const colon = rest.indexOf(":");
    return colon >= 0 ? rest.slice(0, colon) : rest;
  }
  const colon = image.lastIndexOf(":");
  return colon >= 0 && colon < image.length - 1 ? image.slice(colon + 1) : image;
}
