/**
 * Expected failures, each with a message that is safe to show an operator.
 * Anything that is not one of these is a bug: logged in full, shown generically.
 */
export class FleetpinError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends FleetpinError {
  constructor(message: string, readonly fieldErrors: Record<string, string[]> = {}) {
    super(message, "invalid_input");
  }
}

export class NotFoundError extends FleetpinError {
  constructor(message: string) {
    super(message, "not_found");
  }
}

/** A write lost a race: the caller acted on a state that has since changed. */
export class ConflictError extends FleetpinError {
  constructor(message: string) {
    super(message, "conflict");
  }
}

export class ForbiddenError extends FleetpinError {
  constructor(message = "Your role does not allow this action.") {
    super(message, "forbidden");
  }
}

export class UnauthenticatedError extends FleetpinError {
  constructor(message = "Sign in to continue.") {
    super(message, "unauthenticated");
  }
}

export class DatabaseUnavailableError extends FleetpinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "database_unavailable", options);
  }
}

export class DockerUnavailableError extends FleetpinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "docker_unavailable", options);
  }
}

/** Any failed Docker call other than "the daemon is unreachable". */
export class DockerOperationError extends FleetpinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "docker_error", options);
  }
}

/** Where a workspace stands after a failed reprovision. */
export type WorkspaceState = "old_running" | "old_stopped" | "down" | "new_running" | "no_container" | "unknown";

/** Plain words for an operator: where the workspace stands now. */
export function describeWorkspaceState(state: WorkspaceState): string {
  switch (state) {
    case "old_running":
      return "still running its old image";
    case "old_stopped":
      return "back on its old container, which was not running before either";
    case "down":
      return "down: the repair pass will bring it back";
    case "new_running":
      return "running the new image";
    case "no_container":
      return "it has no container yet";
    default:
      return "state unknown, check the workspace";
  }
}

/**
 * A reprovision that failed, saying in plain words what happened and where the workspace
 * stands now (`message` ends with that), for operation items and the API.
 */
export class ReprovisionFailedError extends FleetpinError {
  constructor(
    readonly what: string,
    readonly workspaceState: WorkspaceState,
    options?: { cause?: unknown },
  ) {
    super(`${what} — ${describeWorkspaceState(workspaceState)}`, "reprovision_failed", options);
  }
}

export function isFleetpinError(error: unknown): error is FleetpinError {
  return error instanceof FleetpinError;
}

/** The message of any thrown value, for logs and stored failure reasons. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
