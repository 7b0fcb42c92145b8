import { randomBytes } from "node:crypto";

/** A strong random password (24 base64url characters, 144 bits) for generated accounts. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
