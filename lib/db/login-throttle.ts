import "server-only";

import { Prisma } from "@/lib/generated/prisma/client";

import type { Db } from "./client";

/**
 * How one throttle key (an email, a client address) paces sign-in attempts.
 * The first `freeAttempts` in a window go through at once; each one after
 * that must wait `firstDelayMs`, doubling per attempt up to `maxDelayMs`.
 * With firstDelayMs = maxDelayMs this is a plain lock after `freeAttempts`.
 */
export type ThrottleRule = { freeAttempts: number; windowMs: number; firstDelayMs: number; maxDelayMs: number };

/** What a reservation answered: go ahead, or wait until `retryAt`. */
export type AttemptReservation =
  { allowed: true; emailAttempts: number; addressAttempts: number } | { allowed: false; retryAt: Date | null };

type ReservationRow = { address_attempts: number | null; email_attempts: number | null; retry_at: Date | null };

/**
 * Counts one sign-in attempt for the address and the email BEFORE the password
 * is hashed, in ONE statement, so concurrent posts cannot all slip past a
 * check made earlier (issue #13 item 1). A key whose wait (`locked_until`) is
 * still running refuses the attempt and is not counted. The address goes
 * first and the email is only counted when the address allowed the attempt,
 * so a refused client does not push the owner's delays up.
 *
 * Raw SQL because Prisma's upsert cannot "increment and compare" in one
 * statement (it reads, then writes), and the comparison must see the row as
 * the concurrent statements left it: ON CONFLICT DO UPDATE takes the row lock
 * and re-evaluates its WHERE on the newest version.
 * `failures` counts reserved attempts (a success hands its own back).
 */
export async function reserveSignInAttempt(
  db: Db,
  keys: { email: string; address: string },
  rules: { email: ThrottleRule; address: ThrottleRule },
  now: Date,
): Promise<AttemptReservation> {
  // Raw: both counters reserved in one statement (upserts with a conditional window reset), so no attempt slips between.
  const rows = await db.$queryRaw<ReservationRow[]>`
    WITH address AS (
      INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
      VALUES (${keys.address}::text, 1, ${now}::timestamptz, ${waitAfter(Prisma.sql`1`, rules.address, now)})
      ${countOnConflict(rules.address, now)}
    ), email AS (
      INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
      SELECT ${keys.email}::text, 1, ${now}::timestamptz, ${waitAfter(Prisma.sql`1`, rules.email, now)} FROM address
      ${countOnConflict(rules.email, now)}
    )
    SELECT
      (SELECT failures FROM address) AS address_attempts,
      (SELECT failures FROM email) AS email_attempts,
      (SELECT max(locked_until) FROM login_throttle WHERE key IN (${keys.address}, ${keys.email}) AND locked_until > ${now}) AS retry_at`;
  const row = rows[0];
  if (row?.address_attempts != null && row.email_attempts != null) {
    return { allowed: true, addressAttempts: Number(row.address_attempts), emailAttempts: Number(row.email_attempts) };
  }
  // The main SELECT reads the statement's snapshot, which may predate the
  // concurrent attempt that set the wait; callers then say "in a moment".
  return { allowed: false, retryAt: row?.retry_at ? new Date(row.retry_at) : null };
}

// The end of the wait after attempt number `count`: none before `freeAttempts`, then doubling.
function waitAfter(count: Prisma.Sql, rule: ThrottleRule, now: Date): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${count} >= ${rule.freeAttempts}::int
    THEN ${now}::timestamptz + LEAST(${rule.maxDelayMs}::float8, ${rule.firstDelayMs}::float8 * power(2, ${count} - ${rule.freeAttempts}::int)) * interval '1 millisecond'
  END`;
}

// An existing key: refused (no row returned) while its wait runs, else counted; a window that is over starts a new count.
function countOnConflict(rule: ThrottleRule, now: Date): Prisma.Sql {
  const windowOver = Prisma.sql`t.window_start <= ${now}::timestamptz - ${rule.windowMs}::float8 * interval '1 millisecond'`;
  const count = Prisma.sql`(CASE WHEN ${windowOver} THEN 1 ELSE t.failures + 1 END)`;
  return Prisma.sql`ON CONFLICT (key) DO UPDATE SET
      failures = ${count},
      window_start = CASE WHEN ${windowOver} THEN ${now}::timestamptz ELSE t.window_start END,
      locked_until = ${waitAfter(count, rule, now)}
    WHERE t.locked_until IS NULL OR t.locked_until <= ${now}
    RETURNING failures`;
}

/** After a successful sign-in: forget the email's attempts and give the address its attempt back. */
export async function releaseSignInAttempt(db: Db, keys: { email: string; address: string }): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keys.email } });
  await db.loginThrottle.updateMany({
    where: { key: keys.address, failures: { gt: 0 } },
    data: { failures: { decrement: 1 } },
  });
}

/** Drops counters whose window and wait are both over, so guessed emails and addresses do not pile up. */
export async function pruneLoginThrottle(db: Db, now: Date, olderThanMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const { count } = await db.loginThrottle.deleteMany({
    where: { windowStart: { lte: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
  });
  return count;
}
