import type { ThrottleRule } from "@/lib/db/login-throttle";

export type { ThrottleRule } from "@/lib/db/login-throttle";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Per email (known or not): 5 attempts in 15 minutes go through at once, then
 * each further one waits 2 s, 4 s, 8 s … up to one minute. Guessing slows to
 * about one try a minute, but the owner is never locked out: anyone can type
 * an email, so a hard lock here would let anyone lock any account (#13 item 3).
 */
export const EMAIL_THROTTLE: ThrottleRule = {
  freeAttempts: 5,
  windowMs: 15 * MINUTE,
  firstDelayMs: 2 * SECOND,
  maxDelayMs: MINUTE,
};

/**
 * Per client address (the socket's, or the one a trusted proxy saw: see
 * client-address.ts): the hard limit, 20 attempts in 15 minutes, then 15
 * minutes' lock. Looser than per email because several operators may share
 * one address (an office NAT, a VPN); it stops one client trying many emails.
 */
export const ADDRESS_THROTTLE: ThrottleRule = {
  freeAttempts: 20,
  windowMs: 15 * MINUTE,
  firstDelayMs: 15 * MINUTE,
  maxDelayMs: 15 * MINUTE,
};

/** How long a counter is kept after its window: past both rules' windows and waits. */
export const THROTTLE_RETENTION_MS = 15 * MINUTE;

/** The refusal text: seconds under a minute, else whole minutes; "a moment" when the end is not known. */
export function retryMessage(retryAt: Date | null, now: Date): string {
  if (!retryAt) return "Too many attempts. Try again in a moment.";
  const ms = Math.max(0, retryAt.getTime() - now.getTime());
  if (ms < MINUTE) {
    const seconds = Math.max(1, Math.ceil(ms / SECOND));
    return `Too many attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  }
  const minutes = Math.ceil(ms / MINUTE);
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
