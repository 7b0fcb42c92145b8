import "server-only";

import { randomBytes } from "node:crypto";

import { hash, verify, type Algorithm } from "@node-rs/argon2";

import { getLogger } from "@/lib/log/logger";

// argon2id at OWASP's baseline (19 MiB, 2 passes, 1 lane): about 30-60 ms a
// hash here, slow for a guesser, fine for a sign-in. `2` is Algorithm.Argon2id
// (a const enum, which isolated modules cannot reference by name).
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes a password with argon2id (PHC string: algorithm, parameters and salt included). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * True when `password` matches `passwordHash`. A malformed stored hash counts
 * as a mismatch (and is logged), so one bad row cannot break sign-in for others.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch (error) {
    getLogger({ source: "auth" }).error(
      { event: "hash_unverifiable", err: error },
      "stored password hash could not be verified",
    );
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random secret with the same parameters as real ones. Sign-in
 * verifies against it when the email is unknown, so the answer takes as long
 * as for a real account and timing does not reveal which emails exist.
 */
export function getDummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString("base64url"));
  return dummyHash;
}

/** A strong random password (24 base64url characters, 144 bits) for generated accounts. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
