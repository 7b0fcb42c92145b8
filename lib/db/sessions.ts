import "server-only";

import type { Role } from "@/lib/domain/roles";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "@/lib/domain/session-policy";
import type { Prisma } from "@/lib/generated/prisma/client";

import type { Db } from "./client";

/** A live session together with the user it belongs to. */
export type ActiveSession = {
  id: string;
  userId: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
};

type SessionWriter = Pick<Prisma.TransactionClient, "session">;

/**
 * Stores a new session (id = sha256 of the cookie token) and, in passing, drops
 * the user's expired ones so the table does not grow without a cleanup job.
 * Returns when the session ends at the latest, for the cookie's lifetime.
 */
export async function createSession(
  tx: SessionWriter,
  input: { id: string; userId: string; now: Date },
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<{ expiresAt: Date; absoluteExpiresAt: Date }> {
  const absoluteExpiresAt = new Date(input.now.getTime() + policy.absoluteTimeoutMs);
  const expiresAt = new Date(Math.min(input.now.getTime() + policy.idleTimeoutMs, absoluteExpiresAt.getTime()));
  await tx.session.deleteMany({
    where: {
      userId: input.userId,
      OR: [
        { expiresAt: { lte: input.now } },
        { createdAt: { lte: new Date(input.now.getTime() - policy.absoluteTimeoutMs) } },
      ],
    },
  });
  await tx.session.create({
    data: { id: input.id, userId: input.userId, createdAt: input.now, lastSeenAt: input.now, expiresAt },
  });
  return { expiresAt, absoluteExpiresAt };
}

/**
 * The live session with this id, sliding its idle expiry forward (at most once
 * per touch interval, never past the absolute cap). Unknown or expired → null;
 * an expired row is deleted on the way.
 */
export async function getActiveSession(
  db: Db,
  id: string,
  now: Date,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ActiveSession | null> {
  const row = await db.session.findUnique({
    where: { id },
    select: {
      id: true,
      createdAt: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, role: true } },
    },
  });
  if (!row) return null;
  const absoluteEnd = row.createdAt.getTime() + policy.absoluteTimeoutMs;
  if (row.expiresAt.getTime() <= now.getTime() || absoluteEnd <= now.getTime()) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() >= policy.touchIntervalMs) {
    expiresAt = new Date(Math.min(now.getTime() + policy.idleTimeoutMs, absoluteEnd));
    // updateMany: a concurrent sign-out may have removed the row; that is not an error here.
    await db.session.updateMany({ where: { id }, data: { lastSeenAt: now, expiresAt } });
  }
  return {
    id: row.id,
    userId: row.user.id,
    email: row.user.email,
    role: row.user.role,
    createdAt: row.createdAt,
    expiresAt,
  };
}

/** Deletes one session; returns whose it was, or null when it no longer exists. */
export async function deleteSession(tx: SessionWriter, id: string): Promise<{ userId: string; email: string } | null> {
  const row = await tx.session.findUnique({ where: { id }, select: { user: { select: { id: true, email: true } } } });
  if (!row) return null;
  await tx.session.deleteMany({ where: { id } });
  return { userId: row.user.id, email: row.user.email };
}

/** Ends every session of a user (after a password reset); returns how many there were. */
export async function deleteUserSessions(tx: SessionWriter, userId: string): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId } });
  return count;
}
