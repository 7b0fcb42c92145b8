import "server-only";

import { DockerOperationError, DockerUnavailableError, type FleetpinError } from "@/lib/domain/errors";
import { countDockerError } from "@/lib/metrics/process-metrics";

// Transport failures: the request never reached a daemon. Anything with an HTTP status did.
const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "the socket does not exist",
  ECONNREFUSED: "connection refused (is dockerd running?)",
  EACCES: "permission denied (this process may not use the Docker socket)",
  EPERM: "permission denied (this process may not use the Docker socket)",
  ENOTSOCK: "the path is not a socket",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
};

type RawDockerError = { statusCode?: unknown; code?: unknown; json?: unknown; message?: unknown; reason?: unknown };

/** The HTTP status dockerode attached to an error, if the daemon answered at all. */
export function dockerStatusCode(error: unknown): number | undefined {
  const status = (error as RawDockerError | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The daemon's own words: `json.message`, else dockerode's message without its "(HTTP code N) reason - " prefix. */
export function daemonMessage(error: unknown): string {
  const raw = (error ?? {}) as RawDockerError;
  const json = raw.json as { message?: unknown } | string | null | undefined;
  if (json && typeof json === "object" && typeof json.message === "string" && json.message.trim() !== "") {
    return json.message.trim();
  }
  if (typeof json === "string" && json.trim() !== "") return json.trim();
  const message = typeof raw.message === "string" ? raw.message : String(error);
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, "").trim() || message;
}

/**
 * Turns whatever dockerode threw into DockerUnavailableError (no daemon answered) or
 * DockerOperationError (`<action> failed: <daemon message>`), keeping the original as `cause`.
 * Errors that are already ours pass through unchanged.
 */
export function translateDockerError(error: unknown, action: string, endpoint: string): FleetpinError {
  if (error instanceof DockerUnavailableError || error instanceof DockerOperationError) return error;
  const raw = (error ?? {}) as RawDockerError;
  const code = typeof raw.code === "string" ? raw.code : undefined;
  // Counted here, once per raw failure: errors already translated passed through above.
  countDockerError(dockerStatusCode(error), code);
  if (dockerStatusCode(error) === undefined && code !== undefined && code in UNREACHABLE_REASONS) {
    const detail = typeof raw.message === "string" ? ` (${raw.message})` : "";
    return new DockerUnavailableError(`Docker is not reachable at ${endpoint}: ${UNREACHABLE_REASONS[code]}${detail}`, {
      cause: error,
    });
  }
  return new DockerOperationError(`${action} failed: ${daemonMessage(error)}`, { cause: error });
}
