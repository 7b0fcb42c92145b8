import { webhooksConfig, type Env } from "@/lib/config";

/** How long a delivery is retried before it is marked failed. */
export const RETRY_WINDOW_SECONDS = 24 * 60 * 60;
/** No wait between two attempts grows past this. */
export const MAX_RETRY_DELAY_SECONDS = 60 * 60;

/**
 * Seconds before the next attempt after `attempts` failed ones: base, 2×base, 4×base, … capped at
 * an hour. No jitter: one dispatcher picks due rows, so there is no herd to spread.
 */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  const exponent = Math.min(20, Math.max(0, attempts - 1));
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** exponent);
}

/** FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS (default 30; tests set 1 or less), parsed by lib/config. */
export function retryBaseSeconds(env?: Env): number {
  return webhooksConfig(env).retryBaseSeconds;
}

/** After a failed attempt: when to try again, or null when the 24 h window is spent (the delivery fails). */
export function nextAttemptAt(createdAt: Date, now: Date, attempts: number, baseSeconds: number): Date | null {
  const next = new Date(now.getTime() + retryDelaySeconds(attempts, baseSeconds) * 1000);
  return next.getTime() - createdAt.getTime() > RETRY_WINDOW_SECONDS * 1000 ? null : next;
}
