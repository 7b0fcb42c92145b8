import { createHash, randomBytes } from "node:crypto";

// 32 random bytes, base64url: 43 characters, no padding.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session: the token for the cookie and the id (its sha256) the database stores. */
export function createSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, id: sessionIdFromToken(token) };
}

/**
 * The database id of a token. Only the hash is stored, so a leaked sessions
 * table (or backup) cannot be replayed as cookies.
 */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** True when a cookie value has the shape of a token we issued (anything else is not looked up). */
export function isWellFormedSessionToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
