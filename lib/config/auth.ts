/** Sign-in and session settings, where the server listens, and how much it logs. */
import { flag, oneOf, optionalText, raw, text, wholeNumber } from "./fields";
import { defineSlice } from "./slice";

/** Reverse proxies FLEETPIN_TRUST_PROXY may count. */
export const MAX_TRUSTED_PROXIES = 10;

export interface AuthConfig {
  /** FLEETPIN_ADMIN_EMAIL (trimmed): the first operator, created when there are no users. */
  adminEmail: string | undefined;
  /** FLEETPIN_ADMIN_PASSWORD exactly as set (lib/bootstrap/first-admin.ts checks the policy). */
  adminPassword: string | undefined;
  /** False only with FLEETPIN_INSECURE_COOKIES=1: the session cookie loses its Secure flag. */
  secureCookies: boolean;
  /** FLEETPIN_TRUST_PROXY: reverse proxies that append to X-Forwarded-For; 0 = use the TCP peer. */
  trustProxyHops: number;
}

export const auth = defineSlice(
  {
    FLEETPIN_ADMIN_EMAIL: optionalText(),
    FLEETPIN_ADMIN_PASSWORD: raw(),
    FLEETPIN_INSECURE_COOKIES: flag("FLEETPIN_INSECURE_COOKIES", false),
    // "true" is what Express users write for one proxy; it was accepted before and stays so.
    FLEETPIN_TRUST_PROXY: raw()
      .transform((value) => (value?.trim() === "true" ? "1" : value))
      .pipe(wholeNumber("FLEETPIN_TRUST_PROXY", 0, 0, MAX_TRUSTED_PROXIES)),
  },
  (values): AuthConfig => ({
    adminEmail: values.FLEETPIN_ADMIN_EMAIL,
    adminPassword: values.FLEETPIN_ADMIN_PASSWORD,
    secureCookies: !values.FLEETPIN_INSECURE_COOKIES,
    trustProxyHops: values.FLEETPIN_TRUST_PROXY,
  }),
);

export interface ServerConfig {
  /** HOST: where `npm start` listens (read by the start script; validated here). */
  host: string;
  port: number;
}

export const server = defineSlice(
  { HOST: text("127.0.0.1"), PORT: wholeNumber("PORT", 3000, 1, 65_535) },
  (values): ServerConfig => ({ host: values.HOST, port: values.PORT }),
);

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogConfig {
  level: LogLevel;
}

export const log = defineSlice(
  { FLEETPIN_LOG_LEVEL: oneOf("FLEETPIN_LOG_LEVEL", LOG_LEVELS, "info") },
  (values): LogConfig => ({ level: values.FLEETPIN_LOG_LEVEL }),
);
