import "server-only";

import { NotFoundError, ValidationError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/is-uuid";
import type { UserRole } from "@/lib/generated/prisma/client";

import { recordAudit } from "./audit-log";
import type { Db } from "./client";

/** One API token as the settings page lists it (never the secret, never its hash). */
export type ApiTokenRow = {
  id: string;
  name: string;
  role: UserRole;
  tokenPrefix: string;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
};

/** What createApiToken stores: the caller made the secret and passes only its hash and display prefix. */
export type NewApiToken = {
  name: string;
  role: UserRole;
  tokenHash: string;
  tokenPrefix: string;
  expiresAt: Date | null;
};

const ROW_SELECT = {
  id: true,
  name: true,
  role: true,
  tokenPrefix: true,
  expiresAt: true,
  createdBy: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  revokedBy: true,
} as const;

/**
 * Records a new token and its audit row in one transaction. A name already held by a token
 * that is not revoked is a ValidationError (the partial unique index decides, so two creates
 * racing for one name cannot both win).
 */
export async function createApiToken(db: Db, input: NewApiToken, actor: string): Promise<ApiTokenRow> {
  return db.$transaction(async (tx) => {
    // Raw SQL: Prisma's create cannot say ON CONFLICT against a partial unique index.
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO api_tokens (name, role, token_hash, token_prefix, expires_at, created_by)
      VALUES (${input.name}, ${input.role}::user_role, ${input.tokenHash}, ${input.tokenPrefix}, ${input.expiresAt}, ${actor})
      ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
      RETURNING id::text AS id`;
    const id = inserted[0]?.id;
    if (!id) {
      const message = `A token named "${input.name}" already exists; revoke it first or choose another name.`;
      throw new ValidationError(message, { name: [message] });
    }
    const row = await tx.apiToken.findUniqueOrThrow({ where: { id }, select: ROW_SELECT });
    await recordAudit(tx, {
      actor,
      action: "api_token.created",
      targetType: "api_token",
      targetId: row.name,
      after: { id, role: row.role, prefix: row.tokenPrefix, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return row;
  });
}

/** Every token, active ones first, newest first within each group. */
export async function listApiTokens(db: Db): Promise<ApiTokenRow[]> {
  const rows = await db.apiToken.findMany({ select: ROW_SELECT, orderBy: [{ createdAt: "desc" }] });
  return [...rows.filter((row) => !row.revokedAt), ...rows.filter((row) => row.revokedAt)];
}

/** Revokes a token (at once: the next call with it gets 401), with its audit row. Revoking twice changes nothing. */
export async function revokeApiToken(db: Db, id: string, actor: string): Promise<ApiTokenRow> {
  if (!isUuid(id)) throw new NotFoundError("No such API token.");
  return db.$transaction(async (tx) => {
    const updated = await tx.apiToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date(), revokedBy: actor },
    });
    const row = await tx.apiToken.findUnique({ where: { id }, select: ROW_SELECT });
    if (!row) throw new NotFoundError("No such API token.");
    if (updated.count > 0) {
      await recordAudit(tx, {
        actor,
        action: "api_token.revoked",
        targetType: "api_token",
        targetId: row.name,
        before: { id, revoked: false },
        after: { id, revoked: true },
      });
    }
    return row;
  });
}

/** The token behind a request, as the API wrapper needs it. */
export type ApiTokenUse =
  | {
      kind: "ok";
      token: { id: string; name: string; role: UserRole; createdBy: string };
      callsThisWindow: number;
      windowResetsInSeconds: number;
    }
  | { kind: "unknown" | "revoked" | "expired" };

type UsedRow = { id: string; name: string; role: UserRole; created_by: string; rate_count: number; resets_in: number };

/**
 * Authenticates a token by its hash and counts the call, in one statement: a usable token
 * (not revoked, not expired) gets last_used_at = now() and one more call in its fixed
 * one-minute rate window (a new window starts at the first call after the old one ended).
 * The counter lives on the token row rather than in process memory so that every Fleetpin
 * process on one database shares it, and costs no statement beyond the last-used update an
 * API token needs anyway; the database's clock decides the window, so processes agree.
 */
export async function useApiToken(db: Db, tokenHash: string): Promise<ApiTokenUse> {
  // Raw SQL: the conditional window reset and the seconds left need CASE and interval arithmetic in one UPDATE.
  const rows = await db.$queryRaw<UsedRow[]>`
    UPDATE api_tokens SET
      last_used_at = now(),
      rate_count = CASE WHEN rate_window_start IS NULL OR rate_window_start <= now() - interval '1 minute' THEN 1 ELSE rate_count + 1 END,
      rate_window_start = CASE WHEN rate_window_start IS NULL OR rate_window_start <= now() - interval '1 minute' THEN now() ELSE rate_window_start END
    WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    RETURNING id::text AS id, name, role::text AS role, created_by, rate_count,
      ceil(extract(epoch FROM (rate_window_start + interval '1 minute' - now())))::int AS resets_in`;
  const row = rows[0];
  if (row) {
    return {
      kind: "ok",
      token: { id: row.id, name: row.name, role: row.role, createdBy: row.created_by },
      callsThisWindow: row.rate_count,
      windowResetsInSeconds: Math.max(1, row.resets_in),
    };
  }
  const known = await db.apiToken.findUnique({ where: { tokenHash }, select: { revokedAt: true } });
  if (!known) return { kind: "unknown" };
  return { kind: known.revokedAt ? "revoked" : "expired" };
}
