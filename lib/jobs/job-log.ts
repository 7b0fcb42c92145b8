/**
 * The one place lib/jobs and lib/webhooks write to the process log: one JSON line per event,
 * so a log collector can filter on `source` and `event`.
 */
export function jobLog(level: "info" | "warn" | "error", source: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, source, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}
