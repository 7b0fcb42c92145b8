import "server-only";

import { createApiToken, type ApiTokenRow } from "@/lib/db/api-tokens";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/domain/roles";

import { generateApiToken } from "./api-token";

/**
 * Creates an API token for `actor`: the secret is returned once, here, and only its hash is
 * stored. The settings page and `npm run token:create` both call this.
 */
export async function issueApiToken(
  db: Db,
  input: { name: string; role: Role; expiresInMs?: number | null },
  actor: string,
  now: Date = new Date(),
): Promise<{ token: string; row: ApiTokenRow }> {
  const { token, hash, prefix } = generateApiToken();
  const expiresAt = input.expiresInMs ? new Date(now.getTime() + input.expiresInMs) : null;
  const row = await createApiToken(
    db,
    { name: input.name, role: input.role, tokenHash: hash, tokenPrefix: prefix, expiresAt },
    actor,
  );
  return { token, row };
}
