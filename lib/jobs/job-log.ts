import { getLogger } from "@/lib/log/logger";

/**
 * The one place lib/jobs and lib/webhooks write to the process log: one JSON line per event,
 * so a log collector can filter on `source` and `event`.
 */
export function jobLog(level: "info" | "warn" | "error", source: string, fields: Record<string, unknown>): void {
  getLogger({ source })[level](fields, typeof fields.event === "string" ? fields.event : source);
}
