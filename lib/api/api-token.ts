import { createHash, randomBytes } from "node:crypto";

/** Every API token starts with this, so scanners (and people) can tell what leaked. */
export const API_TOKEN_PREFIX = "fp_";

// fp_ + 32 random bytes in base64url: 43 characters, no padding.
const TOKEN_PATTERN = /^fp_[A-Za-z0-9_-]{43}$/;
/** How much of the token the settings page shows to tell tokens apart (fp_ + 6): 36 bits, not enough to guess the rest. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

/** A new token: the secret shown once, and what the database keeps (its hash and display prefix). */
export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/**
 * What the database stores for a token: sha256, hex. A fast hash is right here, unlike for
 * passwords: the token is 256 random bits, so there is no dictionary to try and a brute force
 * of 2^256 inputs is out of reach however fast each guess is; a slow hash (argon2) would only
 * slow down every API call. Stored hashes mean a leaked table or backup cannot be replayed.
 */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** True when a value has the shape of a token Fleetpin issues (anything else is never looked up). */
export function isWellFormedApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750: scheme case-insensitive,
 * one space or more), or null when the header is missing or another scheme.
 */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1]! : null;
}

const DURATION = /^(\d{1,5})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * A token lifetime such as `90d`, `12h` or `2w` in milliseconds, or null when the text is not
 * one (a number and one of h, d, w; at least one hour, at most ten years).
 */
export function parseExpiresIn(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= UNIT_MS.h && ms <= 3650 * UNIT_MS.d ? ms : null;
}

/**
 * How a token appears as the actor of pins, operations and audit rows: its name and who created
 * it, e.g. `token:ci (created by olga@example.com)`, so every change made through the API
 * names both the token and the person answerable for it.
 */
export function apiTokenActor(token: { name: string; createdBy: string }): string {
  return `token:${token.name} (created by ${token.createdBy})`;
}
