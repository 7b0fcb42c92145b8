"use server";

import { issueApiToken } from "@/lib/api/issue-token";
import { defineAction } from "@/lib/auth/define-action";
import { revokeApiToken } from "@/lib/db/api-tokens";
import { getDb } from "@/lib/db/client";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/lib/schemas/api-token";

const AFFECTED = ["/settings/api-tokens", "/audit"];

/** Creates an API token; the secret comes back once, in this answer, and is never shown again. */
export const createApiTokenAction = defineAction({
  name: "createApiTokenAction",
  role: "operator",
  schema: createApiTokenSchema,
  run: async ({ name, role, expiresIn }, user) => {
    const { token, row } = await issueApiToken(await getDb(), { name, role, expiresInMs: expiresIn }, user.email);
    return { token, name: row.name, role: row.role, expiresAt: row.expiresAt?.toISOString() ?? null };
  },
  revalidate: AFFECTED,
});

/** Revokes a token at once: its next call gets 401. */
export const revokeApiTokenAction = defineAction({
  name: "revokeApiTokenAction",
  role: "operator",
  schema: revokeApiTokenSchema,
  run: async ({ tokenId }, user) => {
    const row = await revokeApiToken(await getDb(), tokenId, user.email);
    return { name: row.name };
  },
  revalidate: AFFECTED,
});
