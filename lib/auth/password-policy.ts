import { COMMON_PASSWORDS } from "./common-passwords";

export const MIN_PASSWORD_LENGTH = 12;
// argon2 takes any length, but an unbounded input is free CPU for an attacker.
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is not acceptable, or null when it is. */
export function newPasswordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (password.trim() !== password) return "The password must not start or end with spaces.";
  if (email && password.toLowerCase().includes(email.toLowerCase()))
    return "The password must not contain the email address.";
  // Length alone let "aaaaaaaaaaaa" through (#13 item 8).
  if (new Set(password).size === 1) return "The password must not be one repeated character.";
  if (COMMON_PASSWORDS.has(password.toLowerCase()))
    return "The password is too common: it is among the first an attacker tries.";
  return null;
}
