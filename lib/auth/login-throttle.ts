import "server-only";

import type { Db } from "@/lib/db/client";

/** How many failed sign-ins a key may have in a window before it is locked, and for how long. */
export type ThrottleRule = { maxFailures: number; windowMs: number; lockMs: number };

const MINUTE = 60_000;

/** Per email (known or not): 5 failures in 15 minutes lock that email for 15 minutes. */
export const EMAIL_THROTTLE: ThrottleRule = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

/**
 * Per client address: looser, because several operators may share one
 * address (an office NAT, a VPN); it catches one client trying many emails.
 */
export const ADDRESS_THROTTLE: ThrottleRule = { maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

/** The latest lock among `keys` that is still in force at `now`, or null. */
export async function getLockedUntil(db: Db, keys: string[], now: Date): Promise<Date | null> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } }, select: { lockedUntil: true } });
  let latest: Date | null = null;
  for (const row of rows) if (row.lockedUntil && (!latest || row.lockedUntil > latest)) latest = row.lockedUntil;
  return latest;
}

/**
 * Counts one failure for `key` and locks it once the rule's limit is reached.
 * One statement, so concurrent failures are all counted (no read-then-write race).
 * A failure after the window, or after an expired lock, starts a new count.
 */
export async function recordLoginFailure(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowCutoff = new Date(now.getTime() - rule.windowMs);
  const lockUntil = new Date(now.getTime() + rule.lockMs);
  const rows = await db.$queryRaw<Array<{ failures: number; locked_until: Date | null }>>`
    INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${now}, ${rule.maxFailures <= 1 ? lockUntil : null})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start <= ${windowCutoff} OR t.locked_until <= ${now} THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start <= ${windowCutoff} OR t.locked_until <= ${now} THEN ${now} ELSE t.window_start END,
      locked_until = CASE
        WHEN (CASE WHEN t.window_start <= ${windowCutoff} OR t.locked_until <= ${now} THEN 1 ELSE t.failures + 1 END) >= ${rule.maxFailures}
          THEN ${lockUntil}
        WHEN t.locked_until <= ${now} THEN NULL
        ELSE t.locked_until
      END
    RETURNING failures, locked_until`;
  const row = rows[0];
  return { failures: Number(row?.failures ?? 1), lockedUntil: row?.locked_until ? new Date(row.locked_until) : null };
}

/** Forgets the failures of `key` (after a successful sign-in). */
export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

/** Drops counters whose window and lock are both over, so guessed emails do not pile up. */
export async function pruneLoginThrottle(db: Db, now: Date, olderThanMs: number = EMAIL_THROTTLE.windowMs): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const { count } = await db.loginThrottle.deleteMany({
    where: { windowStart: { lte: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
  });
  return count;
}
