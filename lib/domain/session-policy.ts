/** How long a session lives: idle timeout (sliding) and an absolute cap from sign-in. */
export type SessionPolicy = {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Extend a session at most this often, so page views do not each cost a write. */
  touchIntervalMs: number;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleTimeoutMs: 12 * HOUR,
  absoluteTimeoutMs: 7 * 24 * HOUR,
  touchIntervalMs: MINUTE,
};
