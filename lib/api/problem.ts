import { z } from "zod";

import { DigestCoolDownError, DigestQuarantinedError, isFleetpinError, ValidationError } from "@/lib/domain/errors";

/**
 * An RFC 9457 problem document, Fleetpin's error body on /api/v1. `code` is the same code
 * the pages' ActionResult carries; `errors` maps a request field to what is wrong with it.
 */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Record<string, string[]>;
  /** Which rule refused a promote with 409: the digest is quarantined, or younger than the cool-down. */
  reason?: "quarantined" | "cool_down";
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

// The HTTP status of each expected error code (lib/errors.ts and the registry client's errors).
const STATUS_BY_CODE: Record<string, number> = {
  invalid_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_in_progress: 409,
  idempotency_key_reused: 422,
  invalid_input: 422,
  rate_limited: 429,
  registry_unknown_repository: 422,
  registry_unknown_manifest: 422,
  registry_unreachable: 502,
  registry_auth: 502,
  registry_error: 502,
  docker_error: 502,
  database_unavailable: 503,
  docker_unavailable: 503,
  internal_error: 500,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};

/** The status an error code answers with; an expected error without its own entry is the caller's fault (400). */
export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/** A problem document for `code`, with `detail` safe to show the caller. */
export function problem(code: string, detail: string, errors?: Record<string, string[]>): Problem {
  const status = statusForCode(code);
  return {
    // A URN, not a URL: it names the kind of problem without promising a page to fetch.
    type: `urn:fleetpin:problem:${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    ...(errors && Object.keys(errors).length > 0 ? { errors } : {}),
  };
}

export const INTERNAL_ERROR_DETAIL = "Something went wrong. The error was logged.";

/**
 * The problem an error thrown by a lib/ call becomes: an expected error (lib/errors.ts) keeps
 * its message, code and field errors; anything else is a bug, answered generically (the caller
 * logs it), so no stack or SQL reaches the client.
 */
export function problemFromError(
  error: unknown,
  fieldNames: Record<string, string> = {},
): { problem: Problem; expected: boolean } {
  if (!isFleetpinError(error)) return { problem: problem("internal_error", INTERNAL_ERROR_DETAIL), expected: false };
  const errors = error instanceof ValidationError ? apiFieldErrors(error.fieldErrors, fieldNames) : undefined;
  // Both are plain conflicts to the pages; an API client reads which rule refused (and so what to do) from reason.
  const reason =
    error instanceof DigestQuarantinedError
      ? "quarantined"
      : error instanceof DigestCoolDownError
        ? "cool_down"
        : undefined;
  return { problem: { ...problem(error.code, error.message, errors), ...(reason ? { reason } : {}) }, expected: true };
}

/**
 * The problem of a request that failed its zod schema: 422 with every field's messages, the
 * field named by its path as the API spells it (snake_case, dotted for nested fields).
 */
export function problemFromZod(error: z.ZodError, where: "body" | "query" | "path"): Problem {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : where;
    (errors[field] ??= []).push(issue.message);
  }
  const fields = Object.keys(errors);
  const detail = `The request's ${where === "path" ? "path" : where} has ${fields.length === 1 ? "a field" : "fields"} that need attention: ${fields.join(", ")}.`;
  return problem("invalid_input", detail, errors);
}

// lib/ names fields the way the forms do (camelCase, e.g. `digestOrTag`); the API's are
// snake_case, and a route may name a form field differently (`fieldNames`).
function apiFieldErrors(
  fieldErrors: Record<string, string[]>,
  fieldNames: Record<string, string>,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const name = fieldNames[field] ?? toSnakeCase(field);
    result[name] = [...(result[name] ?? []), ...messages];
  }
  return result;
}

/** `expectedDigest` → `expected_digest`. */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The same error with its field errors renamed (`{ digestOrTag: "tag" }`), for a route whose
 * body names a form field differently depending on what was sent; anything else unchanged.
 */
export function withFieldNames(error: unknown, names: Record<string, string>): unknown {
  if (!(error instanceof ValidationError)) return error;
  const renamed: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(error.fieldErrors)) renamed[names[field] ?? field] = messages;
  return new ValidationError(error.message, renamed);
}
