import { ValidationError } from "./errors";

/** Longest reason an operator may give for a change (kept in audit and pin history). */
export const MAX_REASON_LENGTH = 500;

/**
 * The trimmed reason, or a ValidationError (on field `reason`) when it is
 * missing, blank or longer than MAX_REASON_LENGTH. With `optional`, blank gives null.
 */
export function normalizeReason(value: unknown, options: { optional?: boolean } = {}): string | null {
  const reason = typeof value === "string" ? value.trim() : "";
  if (reason === "") {
    if (options.optional) return null;
    throw new ValidationError("Give a reason for this change.", { reason: ["A reason is required."] });
  }
  if (reason.length > MAX_REASON_LENGTH) {
    const message = `The reason is ${reason.length} characters long; keep it to ${MAX_REASON_LENGTH}.`;
    throw new ValidationError(message, { reason: [message] });
  }
  return reason;
}
