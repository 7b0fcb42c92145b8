import "server-only";

import type { Env } from "@/lib/config";
import { loadSecretKey, WEBHOOK_SECRETS } from "@/lib/db/secret-key";
import { errorMessage } from "@/lib/domain/errors";
import { isSealedSecret, openSecret } from "@/lib/util/secret-box";

/** The endpoint's secret could not be opened: this delivery fails, with the reason, and no other. */
export class SigningSecretError extends Error {}

/**
 * The secret to sign a delivery with, from the column as stored. A sealed value is opened with the
 * key; a plain one (written before secrets were sealed, until start-up seals it) is the secret
 * itself, so those endpoints keep receiving signed deliveries meanwhile. The key is loaded only for
 * a sealed value: a plain row on PostgreSQL without FLEETPIN_SECRET_KEY still signs.
 */
export async function signingSecret(stored: string, env?: Env): Promise<string> {
  if (!isSealedSecret(stored)) return stored;
  try {
    return openSecret(stored, await loadSecretKey(env, WEBHOOK_SECRETS));
  } catch (error) {
    // Both causes (no key on PostgreSQL, another key than the one that sealed it) name FLEETPIN_SECRET_KEY.
    throw new SigningSecretError(`not sent: the endpoint's secret cannot be opened: ${errorMessage(error)}`);
  }
}
