import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Seals short secrets (TLS client keys and certificates of Docker hosts) for storage.
 * AES-256-GCM because it is authenticated: a row edited or swapped in the database fails to
 * open instead of handing a tampered key to the TLS stack, and Node has it built in (no
 * dependency). A fresh random 96-bit IV per value (GCM's recommended size; never reused
 * with one key at the volumes a host table sees). Stored as `v1:<iv>:<tag>:<ciphertext>`
 * in base64, so a later key or cipher change can tell old values apart.
 */
const VERSION = "v1";
const IV_BYTES = 12;
export const SECRET_KEY_BYTES = 32;

export class SecretBoxError extends Error {}

function checkKey(key: Buffer): void {
  if (key.length !== SECRET_KEY_BYTES)
    throw new SecretBoxError(`the secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
}

export function sealSecret(plain: string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

const IV_BASE64 = "[A-Za-z0-9+/]{16}"; // 12 bytes
const TAG_BASE64 = "[A-Za-z0-9+/]{22}=="; // GCM's 16-byte tag
const SEALED = new RegExp(`^${VERSION}:${IV_BASE64}:${TAG_BASE64}:[A-Za-z0-9+/]*={0,2}$`);

/**
 * Whether a stored value is in the sealed format (not whether it opens). Values written before a
 * column was sealed are plain text; the exact IV and tag lengths keep a plain secret that merely
 * starts with `v1:` from being taken for a sealed one.
 */
export function isSealedSecret(stored: string): boolean {
  return SEALED.test(stored);
}

export function openSecret(sealed: string, key: Buffer): string {
  checkKey(key);
  const [version, iv, tag, body, ...rest] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined || rest.length > 0)
    throw new SecretBoxError("the stored secret is not in a format this version reads");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  } catch {
    // GCM's tag check failed: another key (FLEETPIN_SECRET_KEY changed) or an edited row.
    throw new SecretBoxError("the stored secret cannot be opened with this key (was FLEETPIN_SECRET_KEY changed?)");
  }
}
