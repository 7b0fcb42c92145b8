import "server-only";

import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import type { Role } from "@/lib/domain/roles";
import { Prisma } from "@/lib/generated/prisma/client";

import { recordAudit } from "./audit-log";
import type { Db } from "./client";
import { deleteUserSessions } from "./sessions";

/** The form an email is stored and looked up in: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A user as the rest of the app sees it: never the password hash. */
export type UserRecord = { id: string; email: string; role: Role; createdAt: Date };

const PUBLIC_FIELDS = { id: true, email: true, role: true, createdAt: true } as const;

/** Number of users; zero means the first admin still has to be created. */
export function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

/** The user with this email (any case), or null. */
export function getUserByEmail(db: Db, email: string): Promise<UserRecord | null> {
  return db.user.findUnique({ where: { email: normalizeEmail(email) }, select: PUBLIC_FIELDS });
}

/** What sign-in needs to check a password; kept apart so the hash never travels further. */
export function getUserCredentials(db: Db, email: string): Promise<(UserRecord & { passwordHash: string }) | null> {
  return db.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...PUBLIC_FIELDS, passwordHash: true },
  });
}

/** Every user, by email (for the CLI). */
export function listUsers(db: Db): Promise<UserRecord[]> {
  return db.user.findMany({ select: PUBLIC_FIELDS, orderBy: { email: "asc" } });
}

/**
 * Creates a user from an already hashed password, with its audit row in the
 * same transaction. An email that exists (in any case) is a ConflictError.
 */
export async function createUser(
  db: Db,
  input: { email: string; passwordHash: string; role: Role },
  actor: string,
): Promise<UserRecord> {
  const email = normalizeEmail(input.email);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, passwordHash: input.passwordHash, role: input.role },
        select: PUBLIC_FIELDS,
      });
      await recordAudit(tx, {
        actor,
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        after: { email, role: user.role },
      });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError(
        `A user with the email ${email} already exists. Use --reset-password to change the password.`,
      );
    }
    throw error;
  }
}

/**
 * Replaces a user's password (and optionally role), signs them out everywhere
 * and audits it, in one transaction. Unknown email → NotFoundError.
 */
export async function resetUserPassword(
  db: Db,
  input: { email: string; passwordHash: string; role?: Role },
  actor: string,
): Promise<UserRecord & { sessionsEnded: number }> {
  const email = normalizeEmail(input.email);
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { email }, select: PUBLIC_FIELDS });
    if (!before) throw new NotFoundError(`There is no user with the email ${email}.`);
    const user = await tx.user.update({
      where: { id: before.id },
      data: { passwordHash: input.passwordHash, ...(input.role ? { role: input.role } : {}) },
      select: PUBLIC_FIELDS,
    });
    const sessionsEnded = await deleteUserSessions(tx, user.id);
    await recordAudit(tx, {
      actor,
      action: "user.reset_password",
      targetType: "user",
      targetId: user.id,
      before: { role: before.role },
      after: { role: user.role, sessionsEnded },
    });
    return { ...user, sessionsEnded };
  });
}
