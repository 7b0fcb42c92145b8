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
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
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

/** A promote refused because the digest is quarantined (rolled back from): 409; lifting it takes a reason. */
export class DigestQuarantinedError extends ConflictError {
  constructor(
    message: string,
    readonly quarantine: { at: Date; by: string; reason: string },
  ) {
    super(message);
  }
}

/** A promote refused because the digest is younger than the template's cool-down and no override was given: 409. */
export class DigestCoolDownError extends ConflictError {
  constructor(
    message: string,
    readonly ageSeconds: number,
    readonly minAgeSeconds: number,
  ) {
    super(message);
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

/**
 * Where a workspace stands after a reprovision that failed:
 * - old_running: the old container is still running its old image (nothing changed for the customer);
 * - old_stopped: the old container is kept but not running;
 * - down: no container of the workspace is running;
 * - new_running: the new container runs, but the run did not complete (e.g. recording it failed);
 * - no_container: a first provision failed, there was never a container;
 * - unknown: Fleetpin cannot tell.
 */
export type WorkspaceState = "old_running" | "old_stopped" | "down" | "new_running" | "no_container" | "unknown";

/**
 * A reprovision failed, and the reprovision knows where it left the workspace. The
 * bulk runner stores `message` as the item's error and describeWorkspaceState(workspaceState)
 * as its outcome, so the operator reads e.g. "pull failed: manifest unknown — still running its old image".
 */
export class ReprovisionFailedError extends FleetpinError {
  constructor(
    message: string,
    readonly workspaceState: WorkspaceState,
    options?: { cause?: unknown },
  ) {
    super(message, "reprovision_failed", options);
  }
}

const WORKSPACE_STATE_PHRASES: Record<WorkspaceState, string> = {
  old_running: "still running its old image",
  old_stopped: "stopped: its old container is kept but not running; reprovision again or start it",
  down: "down: no container of the workspace is running; the repair pass is bringing it back",
  new_running: "running its new image, but the run did not finish cleanly; check the workspace",
  no_container: "it has no container yet",
  unknown: "state unknown, check the workspace",
};

/** Where a workspace stands, in the plain words an operation page shows next to the error. */
export function describeWorkspaceState(state: WorkspaceState): string {
  return WORKSPACE_STATE_PHRASES[state] ?? WORKSPACE_STATE_PHRASES.unknown;
}

/** The workspace state a failed reprovision reports: its own for a ReprovisionFailedError, else unknown. */
export function workspaceStateOf(error: unknown): WorkspaceState {
  return error instanceof ReprovisionFailedError ? error.workspaceState : "unknown";
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
