import "server-only";

import type { Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { loadSecretKey, WEBHOOK_SECRETS } from "@/lib/db/secret-key";
import { isSealedSecret, sealSecret } from "@/lib/util/secret-box";

/**
 * Seals the webhook secrets that earlier versions stored in plain text (one start-up pass; see
 * endpoints.ts). Idempotent: sealed rows are left alone, so a second pass changes nothing. The key
 * is loaded only when a plain row exists, so on PostgreSQL without FLEETPIN_SECRET_KEY a database
 * with nothing to seal is not an error; one with plain rows fails with the key's message and the
 * rows keep working as they are. Returns how many rows this pass sealed.
 */
export async function sealPlainWebhookSecrets(db: Db, env?: Env): Promise<number> {
  const rows = await db.webhookEndpoint.findMany({ select: { id: true, secret: true } });
  const plain = rows.filter((row) => !isSealedSecret(row.secret));
  if (plain.length === 0) return 0;
  const key = await loadSecretKey(env, WEBHOOK_SECRETS);
  let sealed = 0;
  for (const row of plain) {
    // One UPDATE per row, guarded by the plain value read above: a process running the same pass at
    // once (several on one PostgreSQL) or a row deleted meanwhile updates nothing instead of sealing a
    // sealed value twice. Endpoints are few (a handful per installation), so a loop is cheap enough.
    const { count } = await db.webhookEndpoint.updateMany({
      where: { id: row.id, secret: row.secret },
      data: { secret: sealSecret(row.secret, key) },
    });
    sealed += count;
  }
  return sealed;
}
