import "server-only";

import { ValidationError } from "@/lib/domain/errors";

/** Items an operation runs at once when neither the request nor the env says otherwise. */
export const DEFAULT_CONCURRENCY = 4;
/** The most items one operation may run at once. */
export const MAX_CONCURRENCY = 32;

/** The concurrency to record: the request, else FLEETPIN_BULK_CONCURRENCY, else DEFAULT_CONCURRENCY. */
export function resolveConcurrency(requested: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_CONCURRENCY) {
      const message = `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}.`;
      throw new ValidationError(message, { concurrency: [message] });
    }
    return requested;
  }
  const fromEnv = Number.parseInt(env.FLEETPIN_BULK_CONCURRENCY ?? "", 10);
  // A bad env value must not stop reprovisioning; it is logged and the default used.
  if (env.FLEETPIN_BULK_CONCURRENCY && !(fromEnv >= 1 && fromEnv <= MAX_CONCURRENCY)) {
    console.warn(JSON.stringify({ level: "warn", source: "operations", event: "bad_bulk_concurrency", value: env.FLEETPIN_BULK_CONCURRENCY }));
    return DEFAULT_CONCURRENCY;
  }
  return Number.isFinite(fromEnv) ? fromEnv : DEFAULT_CONCURRENCY;
}
